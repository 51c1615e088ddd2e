package org.mnseg.nn;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.mnseg.util.UserError;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** Loss values by hand on tiny tensors and against torch on a 2 x 3 x 4 x 5 x 3 batch, plus their gradients. */
public class LossesTest {
	private static TorchFixture fx;
	private static NDManager root;

	@BeforeClass
	public static void setUp() throws Exception {
		fx = TorchFixture.load("losses");
		root = NDManager.newBaseManager();
	}

	@AfterClass
	public static void tearDown() {
		root.close();
	}

	/** Two voxels, two classes: logits (0, ln 3) and (0, 0), so softmax (1/4, 3/4) and (1/2, 1/2). */
	private static NDArray tinyLogits(NDManager m) {
		return m.create(new float[] { 0, 0, (float) Math.log(3), 0 }, new Shape(1, 2, 1, 1, 2));
	}

	@Test
	public void klDivByHand() {
		try (NDManager m = root.newSubManager()) {
			// targets (1, 0) and (1/2, 1/2): only nonzero targets count (0 log 0 = 0)
			NDArray t = m.create(new float[] { 1, 0.5f, 0, 0.5f }, new Shape(1, 2, 1, 1, 2));
			double expected = (1 * (Math.log(1) - Math.log(0.25)) + 0.5 * (Math.log(0.5) - Math.log(0.5))
					+ 0.5 * (Math.log(0.5) - Math.log(0.5))) / 4;
			assertEquals(expected, Losses.klDiv(tinyLogits(m), t).getFloat(), 1e-6);
		}
	}

	@Test
	public void diceByHand() {
		try (NDManager m = root.newSubManager()) {
			NDArray t = m.create(new float[] { 1, 0, 0, 1 }, new Shape(1, 2, 1, 1, 2));
			// class 0: p = (1/4, 1/2), t = (1, 0): 2 * 1/4 / (1/16 + 1/4 + 1)
			double d0 = 0.5 / (1.0 / 16 + 0.25 + 1);
			// class 1: p = (3/4, 1/2), t = (0, 1): 2 * 1/2 / (9/16 + 1/4 + 1)
			double d1 = 1.0 / (9.0 / 16 + 0.25 + 1);
			assertEquals(1 - (d0 + d1) / 2, Losses.squaredDice(tinyLogits(m), t).getFloat(), 1e-6);
		}
	}

	@Test
	public void diceClampsAnEmptyDenominator() {
		try (NDManager m = root.newSubManager()) {
			// A class that is absent from the target and predicted ~0 everywhere contributes dice 0, not NaN.
			NDArray logits = m.create(new float[] { 0, -200 }, new Shape(1, 2, 1, 1, 1));
			NDArray t = m.create(new float[] { 1, 0 }, new Shape(1, 2, 1, 1, 1));
			float loss = Losses.squaredDice(logits, t).getFloat();
			assertEquals(0.5, loss, 1e-6);
		}
	}

	@Test
	public void crossEntropyByHand() {
		try (NDManager m = root.newSubManager()) {
			NDArray t = m.create(new float[] { 1, 0, 0, 1 }, new Shape(1, 2, 1, 1, 2));
			double expected = -(Math.log(0.25) + Math.log(0.5)) / 2;
			assertEquals(expected, Losses.crossEntropy(tinyLogits(m), t).getFloat(), 1e-6);
		}
	}

	@Test
	public void valuesMatchTorchForSoftAndHardTargets() {
		try (NDManager m = root.newSubManager()) {
			NDArray logits = fx.array(m, "logits");
			for (String tag : new String[] { "soft", "hard" }) {
				NDArray target = fx.array(m, tag.equals("soft") ? "soft" : "onehot");
				assertEquals("kl " + tag, fx.scalar("kl." + tag), Losses.klDiv(logits, target).getFloat(), 1e-6);
				assertEquals("dice " + tag, fx.scalar("dice." + tag), Losses.squaredDice(logits, target).getFloat(), 1e-6);
				assertEquals("ce " + tag, fx.scalar("ce." + tag), Losses.crossEntropy(logits, target).getFloat(), 1e-5);
			}
		}
	}

	@Test
	public void gradientMatchesTorch() {
		try (NDManager m = root.newSubManager()) {
			NDArray logits = fx.array(m, "logits");
			logits.setRequiresGradient(true);
			NDArray target = fx.array(m, "soft");
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				gc.backward(Losses.klDiv(logits, target).add(Losses.squaredDice(logits, target)));
			}
			fx.assertMatches("grad.kl_plus_dice.soft", logits.getGradient(), 1e-7);
		}
	}

	@Test
	public void noGradientFlowsIntoTheTarget() {
		try (NDManager m = root.newSubManager()) {
			NDArray logits = fx.array(m, "logits");
			logits.setRequiresGradient(true);
			// as if the target were a teacher's softmax that records gradients
			NDArray target = fx.array(m, "soft");
			target.setRequiresGradient(true);
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				gc.backward(Losses.klDiv(logits, target).add(Losses.squaredDice(logits, target))
						.add(Losses.crossEntropy(logits, target)));
			}
			assertEquals(0f, target.getGradient().abs().sum().getFloat(), 0f);
			assertTrue(logits.getGradient().abs().sum().getFloat() > 0);
		}
	}

	@Test
	public void lossesLiveInTheLogitsManagerEvenWhenTheTargetDoesNot() {
		try (NDManager a = root.newSubManager(); NDManager b = root.newSubManager()) {
			NDArray logits = fx.array(a, "logits");
			NDArray target = fx.array(b, "soft");
			int inA = OpsTest.count(a);
			int inB = OpsTest.count(b);
			NDArray kl = Losses.klDiv(logits, target);
			NDArray dice = Losses.squaredDice(logits, target);
			NDArray ce = Losses.crossEntropy(logits, target);
			assertTrue(kl.getManager() == a && dice.getManager() == a && ce.getManager() == a);
			assertEquals(inA + 3, OpsTest.count(a));
			assertEquals(inB, OpsTest.count(b));
			assertTrue(target.getManager() == b);
		}
	}

	@Test
	public void oneHotMatchesTorch() {
		try (NDManager m = root.newSubManager()) {
			NDArray labels = fx.array(m, "labels").toType(DataType.UINT8, false);
			NDArray hot = Losses.oneHot(labels, 3);
			assertEquals(DataType.FLOAT32, hot.getDataType());
			fx.assertMatches("onehot", hot, 0);
		}
	}

	@Test
	public void oneHotByHand() {
		try (NDManager m = root.newSubManager()) {
			NDArray labels = m.create(new int[] { 2, 0, 1 }, new Shape(1, 1, 1, 3));
			NDArray hot = Losses.oneHot(labels, 3);
			assertEquals(new Shape(1, 3, 1, 1, 3), hot.getShape());
			assertArrayEquals(new float[] { 0, 1, 0, 0, 0, 1, 1, 0, 0 }, hot.toFloatArray(), 0f);
		}
	}

	@Test
	public void oneHotRejectsLabelsBeyondTheClasses() {
		try (NDManager m = root.newSubManager()) {
			NDArray labels = m.create(new int[] { 0, 3 }, new Shape(1, 2));
			try {
				Losses.oneHot(labels, 3);
				fail("label 3 with 3 classes must be rejected");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("class 3") && e.getMessage().contains("3 classes"));
			}
		}
	}
}
