package org.mnseg.train;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.junit.Test;
import org.mnseg.finetune.FineTuner;
import org.mnseg.finetune.FineTuning;
import org.mnseg.models.NetworkFactory;
import org.mnseg.nn.EngineScalar;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;
import org.mnseg.nn.SliceViews;
import org.mnseg.nn.SliceWise;
import org.mnseg.nn.UNet3D;
import org.mnseg.testutil.SharedData;
import org.mnseg.testutil.TinyBundles;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

public class ModelTrainerTest {
	@Test
	public void aTeacherLeavesOnlyItsPseudoLabelsInTheStudentsStep() {
		try (NDManager root = NDManager.newBaseManager(); UNet3D net = new UNet3D(root, 1, 2, 3, 4, 5); NDManager step = root.newSubManager()) {
			ModelTrainer teacher = new ModelTrainer("3d", net, new LrSchedule(1e-3, 0, 1, 2), 0, 1, 1);
			NDArray x = step.randomNormal(new Shape(2, 1, 8, 8, 8));
			int before = arrays(step);
			NDArray p = teacher.teach(x);
			// the forward pass's dozens of layer outputs are gone; the probabilities and the patches stay with the step
			assertEquals(before + 1, arrays(step));
			assertEquals(step, p.getManager());
			assertEquals(step, x.getManager());
			assertArrayEquals(new long[] { 2, 2, 8, 8, 8 }, p.getShape().getShape());
			float[] unscoped = net.forward(x, false).softmax(1).toFloatArray();
			assertArrayEquals("the same probabilities as the forward pass in the step itself", unscoped, p.toFloatArray(), 0f);
		}
	}

	private static int arrays(NDManager m) {
		return ((BaseNDManager) m).getManagedArrays().size();
	}

	/**
	 * The ImageNet-encoder UNet (3 classes, from the shared models) fine-tuned as {@code strategy} with LoRA dropout
	 * {@code dropout}; the same weights every time.
	 */
	private static Network mobileNetUNet(NDManager m, String strategy, double dropout) {
		SharedData.require("models/mobilenet_v2_1.0_224_imagenet_int8.tflite");
		Network net = NetworkFactory.create("mnv2-imagenet-unet", Map.of("num_classes", 3), m, 5);
		return FineTuner.apply(net, new FineTuning(FineTuning.Strategy.parse(strategy), 4, 4, dropout, false), 5);
	}

	/** Two patches of 1 x 5 x 32 x 32 (10 slices) and soft targets over 3 classes, from a seed. */
	private static List<NDArray> batch(NDManager m) {
		SplittableRandom r = new SplittableRandom(3);
		float[] x = new float[2 * 5 * 32 * 32], t = new float[2 * 3 * 5 * 32 * 32];
		for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
		for (int i = 0; i < t.length; i++) t[i] = (float) r.nextDouble();
		NDArray target = m.create(t, new Shape(2, 3, 5, 32, 32));
		return List.of(m.create(x, new Shape(2, 1, 5, 32, 32)), target.div(target.sum(new int[] { 1 }, true)));
	}

	private static List<float[]> gradients(Network net) {
		List<float[]> out = new ArrayList<>();
		for (Param p : net.params()) if (p.array().hasGradient()) out.add(p.array().getGradient().toFloatArray());
		return out;
	}

	private static void assertClose(String what, List<float[]> expected, List<float[]> actual, float tolerance) {
		assertEquals(what + ": parameters with a gradient", expected.size(), actual.size());
		float largest = 0;
		for (int i = 0; i < expected.size(); i++) {
			float scale = 0;
			for (float v : expected.get(i)) scale = Math.max(scale, Math.abs(v));
			largest = Math.max(largest, scale);
			// relative to the parameter's largest gradient; a gradient that is 0 (LoRA's A while B is 0) may round to 1e-14
			assertArrayEquals(what + ": parameter " + i, expected.get(i), actual.get(i), tolerance == 0 ? 0 : tolerance * scale + 1e-9f);
		}
		assertTrue(what + ": some gradient", largest > 0);
	}

	/** The gradients of one backward pass of a fresh network from {@code build}, which is closed afterwards. */
	private static List<float[]> gradientsOfOneBackward(Supplier<Network> build, int passSlices, List<NDArray> batch) {
		try (Network net = build.get()) {
			ModelTrainer t = new ModelTrainer("2d", net, SliceViews.AXIAL, passSlices, new LrSchedule(1e-3, 0, 1, 2), 0, 1, 1);
			// one labeled patch and one with a soft target, as in co-training
			t.backward(List.of(batch.get(0)), List.of(batch.get(1)), 1, 7);
			return gradients(net);
		}
	}

	@Test
	public void trainingInPassesOfSlicesGivesTheWholeBatchsGradients() {
		try (NDManager root = NDManager.newBaseManager(); NDManager step = root.newSubManager()) {
			List<NDArray> b = batch(step);
			List<float[]> whole = gradientsOfOneBackward(() -> mobileNetUNet(root, "whole", 0), 0, b);
			// 10 slices in passes of 4, 4 and 2
			List<float[]> inPasses = gradientsOfOneBackward(() -> mobileNetUNet(root, "whole", 0), 4, b);
			assertClose("passes of 4 slices against the whole batch", whole, inPasses, 1e-4f);
		}
	}

	@Test
	public void aRecomputedPassDrawsTheDropoutItsLossWasTakenWith() {
		try (NDManager root = NDManager.newBaseManager(); NDManager step = root.newSubManager()) {
			List<NDArray> b = batch(step);
			List<float[]> expected, inPasses;
			// the reference holds every pass's graph at once: each pass of 4 slices seeded as the trainer seeds it, one loss
			try (Network net = mobileNetUNet(root, "lora", 0.5); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				ModelTrainer t = new ModelTrainer("2d", net, SliceViews.AXIAL, 0, new LrSchedule(1e-3, 0, 1, 2), 0, 1, 1);
				NDArray slices = SliceWise.toSlices(SliceWise.input(net, b.get(0)));
				NDList passes = new NDList();
				for (int k = 0; k < 3; k++) {
					Engine.getInstance().setRandomSeed(7 + k);
					passes.add(net.forward(slices.get(new NDIndex((4 * k) + ":" + Math.min(10, 4 * k + 4))), true));
				}
				NDArray logits = SliceWise.fromSlices(NDArrays.concat(passes, 0), 2, 5);
				NDArray half = EngineScalar.of(logits, 0.5f);
				NDArray loss = t.partLoss(logits.get(":1"), b.get(1).get(":1")).mul(half).add(t.partLoss(logits.get("1:"), b.get(1).get("1:")).mul(half));
				gc.backward(loss);
				expected = gradients(net);
			}
			inPasses = gradientsOfOneBackward(() -> mobileNetUNet(root, "lora", 0.5), 4, b);
			assertClose("passes with LoRA dropout against the same masks in one graph", expected, inPasses, 1e-4f);
		}
	}

	@Test
	public void aNetworkThatNormalisesOverTheBatchTakesItWhole() {
		try (NDManager root = NDManager.newBaseManager(); NDManager step = root.newSubManager()) {
			List<NDArray> b = batch(step);
			// SegFormer's decode head: batch norm with the batch's statistics in training
			Supplier<Network> segFormer = () -> NetworkFactory.create("segformer", TinyBundles.tinySegFormer(), root, 5);
			try (Network net = segFormer.get()) {
				assertFalse(net.samplesIndependentInTraining());
			}
			assertClose("passes asked of SegFormer", gradientsOfOneBackward(segFormer, 0, b), gradientsOfOneBackward(segFormer, 4, b), 0f);
		}
	}

	@Test
	public void aTeacherInPassesOfSlicesGivesTheSamePseudoLabels() {
		try (NDManager root = NDManager.newBaseManager(); NDManager step = root.newSubManager(); Network net = mobileNetUNet(root, "lora", 0.1)) {
			NDArray x = batch(step).get(0);
			float[] whole = new ModelTrainer("2d", net, SliceViews.AXIAL, 0, new LrSchedule(1e-3, 0, 1, 2), 0, 1, 1).teach(x).toFloatArray();
			NDArray inPasses = new ModelTrainer("2d", net, SliceViews.AXIAL, 4, new LrSchedule(1e-3, 0, 1, 2), 0, 1, 1).teach(x);
			assertArrayEquals(new long[] { 2, 3, 5, 32, 32 }, inPasses.getShape().getShape());
			assertArrayEquals(whole, inPasses.toFloatArray(), 1e-5f);
		}
	}
}
