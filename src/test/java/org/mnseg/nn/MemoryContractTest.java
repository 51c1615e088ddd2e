package org.mnseg.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** A training step in a closed sub-manager leaves nothing behind with the parameters, however many steps run. */
public class MemoryContractTest {
	private static NDManager root;

	@BeforeClass
	public static void setUp() {
		root = NDManager.newBaseManager();
	}

	@AfterClass
	public static void tearDown() {
		root.close();
	}

	private static float trainStep(UNet3D net, AdamW opt, NDArray xTemplate, NDArray labels) {
		try (NDManager step = root.newSubManager()) {
			NDArray x = xTemplate.duplicate();
			x.attach(step);
			NDArray target = Losses.oneHot(labels, 2);
			target.attach(step);
			float loss;
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				NDArray logits = net.forward(x, true);
				NDArray l = Losses.klDiv(logits, target).add(Losses.squaredDice(logits, target));
				loss = l.getFloat();
				gc.backward(l);
			}
			if (opt != null)
				opt.step(1e-2f);
			return loss;
		}
	}

	@Test
	public void forwardBackwardInAClosedSubManagerLeavesTheParametersAlone() {
		try (UNet3D net = new UNet3D(root, 1, 2, 3, 2, 3); NDManager data = root.newSubManager()) {
			NDArray x = TestTensors.gaussian(data, new Shape(1, 1, 8, 8, 8), 1);
			NDArray labels = TestTensors.positiveLabels(x);
			int before = OpsTest.count(net.manager());
			trainStep(net, null, x, labels);
			assertEquals(before, OpsTest.count(net.manager()));
		}
	}

	@Test
	public void threeHundredTrainingStepsDoNotGrowTheParameterManager() {
		try (UNet3D net = new UNet3D(root, 1, 2, 2, 2, 3); NDManager data = root.newSubManager()) {
			AdamW opt = new AdamW(net.params(), 0.01f);
			NDArray x = TestTensors.gaussian(data, new Shape(1, 1, 4, 4, 4), 2);
			NDArray labels = TestTensors.positiveLabels(x);
			int dataArrays = OpsTest.count(data);
			float first = trainStep(net, opt, x, labels); // creates the optimiser's moments
			int after1 = OpsTest.count(net.manager());
			float last = first;
			for (int i = 1; i < 300; i++)
				last = trainStep(net, opt, x, labels);
			assertEquals(after1, OpsTest.count(net.manager()));
			assertEquals(dataArrays, OpsTest.count(data));
			assertEquals(300, opt.stepCount());
			assertTrue("the loss should fall when fitting one sample: " + first + " -> " + last, last < 0.5f * first);
		}
	}
}
