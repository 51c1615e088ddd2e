package org.mnseg.nn;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** AdamW against torch.optim.AdamW, checkpoint resume, freezing, gradient zeroing, and DJL memory hygiene. */
public class AdamWTest {
	private static TorchFixture fx;
	private static NDManager root;

	@BeforeClass
	public static void setUp() throws Exception {
		fx = TorchFixture.load("adamw");
		root = NDManager.newBaseManager();
	}

	@AfterClass
	public static void tearDown() {
		root.close();
	}

	/** Gradients ga, gb injected as d/dp of sum(a * ga) + sum(b * gb). */
	private static void backward(Param a, Param b, NDManager step, String ga, String gb) {
		NDArray gradA = fx.array(step, ga);
		NDArray gradB = fx.array(step, gb);
		try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
			gc.backward(a.array().mul(gradA).sum().add(b.array().mul(gradB).sum()));
		}
	}

	@Test
	public void twoStepsMatchTorch() {
		try (NDManager params = root.newSubManager()) {
			Param a = new Param("a", fx.array(params, "a.0"));
			Param b = new Param("b", fx.array(params, "b.0"));
			Param unused = new Param("unused", fx.array(params, "unused.0"));
			float lr = (float) fx.scalar("lr");
			AdamW opt = new AdamW(List.of(a, b, unused), (float) fx.scalar("weight_decay"));
			for (int step = 1; step <= 2; step++) {
				try (NDManager s = root.newSubManager()) {
					backward(a, b, s, "a.grad" + step, "b.grad" + step);
				}
				opt.step(lr);
				fx.assertMatches("a." + step, a.array(), 1e-6);
				fx.assertMatches("b." + step, b.array(), 1e-6);
			}
			assertEquals(2, opt.stepCount());
			// never reached by backward: skipped like a None gradient in torch, not even decayed
			assertArrayEquals(fx.values("unused.0"), unused.array().toFloatArray(), 0f);
			Map<String, float[]> state = opt.exportState();
			assertEquals(List.of("a.exp_avg", "a.exp_avg_sq", "b.exp_avg", "b.exp_avg_sq"), new ArrayList<>(state.keySet()));
			TorchFixture.assertClose("a.exp_avg", fx.values("a.exp_avg"), state.get("a.exp_avg"), 1e-7);
			TorchFixture.assertClose("a.exp_avg_sq", fx.values("a.exp_avg_sq"), state.get("a.exp_avg_sq"), 1e-7);
		}
	}

	@Test
	public void stepZeroesTheGradients() {
		try (NDManager params = root.newSubManager()) {
			Param a = new Param("a", fx.array(params, "a.0"));
			Param b = new Param("b", fx.array(params, "b.0"));
			AdamW opt = new AdamW(List.of(a, b));
			assertEquals(AdamW.DEFAULT_WEIGHT_DECAY, opt.weightDecay(), 0f);
			try (NDManager s = root.newSubManager()) {
				backward(a, b, s, "a.grad1", "b.grad1");
			}
			opt.step(1e-3f);
			try (NDArray g = a.array().getGradient()) {
				assertEquals(0f, g.abs().sum().getFloat(), 0f);
			}
		}
	}

	/** Runs {@code steps} steps of a small quadratic problem on a UNet-free parameter pair. */
	private static void train(AdamW opt, Param a, Param b, int steps) {
		for (int i = 0; i < steps; i++) {
			try (NDManager s = root.newSubManager()) {
				NDArray ta = s.ones(a.array().getShape());
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					gc.backward(a.array().sub(ta).square().sum().add(b.array().mul(b.array()).sum().mul(3f)));
				}
			}
			opt.step(0.05f);
		}
	}

	@Test
	public void checkpointResumeIsBitExact() {
		try (NDManager m1 = root.newSubManager(); NDManager m2 = root.newSubManager()) {
			Param a1 = new Param("a", fx.array(m1, "a.0"));
			Param b1 = new Param("b", fx.array(m1, "b.0"));
			AdamW straight = new AdamW(List.of(a1, b1), 0.01f);
			train(straight, a1, b1, 5);

			Param a2 = new Param("a", fx.array(m2, "a.0"));
			Param b2 = new Param("b", fx.array(m2, "b.0"));
			AdamW first = new AdamW(List.of(a2, b2), 0.01f);
			train(first, a2, b2, 2);
			Map<String, float[]> state = first.exportState();
			float[] savedA = a2.array().toFloatArray();
			float[] savedB = b2.array().toFloatArray();
			first.close();
			// a "restarted" optimiser over parameters restored from the checkpoint
			a2.set(savedA);
			b2.set(savedB);
			AdamW resumed = new AdamW(List.of(a2, b2), 0.01f);
			resumed.importState(state, 2);
			train(resumed, a2, b2, 3);
			assertEquals(5, resumed.stepCount());
			assertArrayEquals(a1.array().toFloatArray(), a2.array().toFloatArray(), 0f);
			assertArrayEquals(b1.array().toFloatArray(), b2.array().toFloatArray(), 0f);
		}
	}

	@Test
	public void oneStepChangesEveryTrainableParameterAndNoFrozenOne() {
		try (UNet3D net = new UNet3D(root, 1, 2, 2, 2, 5)) {
			Param frozenWeight = net.params().get(2); // enc.0.conv2.weight
			Param frozenBias = net.params().get(net.params().size() - 1); // out.bias
			frozenWeight.setTrainable(false);
			frozenBias.setTrainable(false);
			List<float[]> before = new ArrayList<>();
			for (Param p : net.params())
				before.add(p.array().toFloatArray());
			AdamW opt = new AdamW(net.params(), 0.01f);
			try (NDManager step = root.newSubManager()) {
				NDArray x = TestTensors.gaussian(step, new Shape(1, 1, 4, 4, 4), 3);
				NDArray target = Losses.oneHot(TestTensors.positiveLabels(x), 2);
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					NDArray logits = net.forward(x, true);
					gc.backward(Losses.klDiv(logits, target).add(Losses.squaredDice(logits, target)));
				}
			}
			for (Param p : net.params()) {
				if (p.trainable() && p.name().endsWith(".weight")) {
					try (NDArray g = p.array().getGradient()) {
						assertTrue(p.name() + " got no gradient", g.abs().max().getFloat() > 0);
					}
				}
			}
			opt.step(1e-3f);
			for (int i = 0; i < net.params().size(); i++) {
				Param p = net.params().get(i);
				boolean same = Arrays.equals(before.get(i), p.array().toFloatArray());
				if (p.trainable())
					assertFalse(p.name() + " did not change", same);
				else
					assertTrue(p.name() + " is frozen but changed", same);
			}
		}
	}

	/**
	 * The update of parameters in groups gives exactly, bit for bit, what the update one parameter at a time gives
	 * (the operations of torch's single-tensor AdamW, here in {@link #perParameterStep}), also when the set of updated
	 * parameters changes: one parameter frozen at first and thawed later, another frozen midway (moments kept).
	 */
	@Test
	public void updatingParametersTogetherIsBitIdenticalToOneAtATime() {
		// one group for the whole small network; then groups of up to 300 values, where some parameters are larger
		// than a group and stand alone
		updateTogetherAndOneAtATime(AdamW.GROUP_VALUES);
		updateTogetherAndOneAtATime(300);
	}

	private static void updateTogetherAndOneAtATime(long groupValues) {
		try (UNet3D flat = new UNet3D(root, 1, 2, 2, 2, 5); UNet3D single = new UNet3D(root, 1, 2, 2, 2, 5);
				NDManager state = root.newSubManager()) {
			Param thawedLater = flat.params().get(3);
			Param frozenMidway = flat.params().get(flat.params().size() - 2);
			thawedLater.setTrainable(false);
			single.params().get(3).setTrainable(false);
			AdamW opt = new AdamW(flat.params(), 0.01f, groupValues);
			Map<String, NDArray[]> reference = new java.util.HashMap<>();
			long[] steps = { 0 };
			for (int step = 1; step <= 7; step++) {
				if (step == 4) {
					thawedLater.setTrainable(true);
					single.params().get(3).setTrainable(true);
				}
				if (step == 6) {
					frozenMidway.setTrainable(false);
					single.params().get(single.params().size() - 2).setTrainable(false);
				}
				float lr = 1e-2f / step;
				for (UNet3D net : List.of(flat, single)) {
					try (NDManager s = root.newSubManager()) {
						NDArray x = TestTensors.gaussian(s, new Shape(1, 1, 4, 4, 4), 10 + step);
						NDArray target = Losses.oneHot(TestTensors.positiveLabels(x), 2);
						try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
							NDArray logits = net.forward(x, true);
							gc.backward(Losses.klDiv(logits, target).add(Losses.squaredDice(logits, target)));
						}
					}
				}
				opt.step(lr);
				perParameterStep(single.params(), reference, state, ++steps[0], lr, 0.01f);
				for (int i = 0; i < flat.params().size(); i++)
					assertArrayEquals(flat.params().get(i).name() + " after step " + step + ", groups of " + groupValues,
							single.params().get(i).array().toFloatArray(), flat.params().get(i).array().toFloatArray(), 0f);
			}
			Map<String, float[]> exported = opt.exportState();
			assertEquals(2 * reference.size(), exported.size());
			for (Map.Entry<String, NDArray[]> e : reference.entrySet()) {
				assertArrayEquals(e.getKey(), e.getValue()[0].toFloatArray(), exported.get(e.getKey() + ".exp_avg"), 0f);
				assertArrayEquals(e.getKey(), e.getValue()[1].toFloatArray(), exported.get(e.getKey() + ".exp_avg_sq"), 0f);
			}
			// Checkpoints read the moments in place: each view must start at its own offset in the flat buffer.
			for (Map.Entry<String, NDArray> e : opt.momentArrays().entrySet()) {
				java.nio.FloatBuffer inPlace = EngineFloats.view(e.getValue());
				float[] values = new float[inPlace.remaining()];
				inPlace.get(values);
				assertArrayEquals(e.getKey(), exported.get(e.getKey()), values, 0f);
			}
			opt.close();
		}
	}

	/** AdamW one parameter at a time, in the operation order of torch's {@code _single_tensor_adamw}. */
	private static void perParameterStep(List<Param> params, Map<String, NDArray[]> moments, NDManager state, long t,
			float lr, float weightDecay) {
		float decay = (float) (1 - (double) lr * weightDecay);
		float stepSize = (float) (lr / (1 - Math.pow(AdamW.BETA1, t)));
		float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(AdamW.BETA2, t));
		try (NDManager s = state.newSubManager()) {
			for (Param param : params) {
				NDArray p = param.array();
				if (!param.trainable() || !p.hasGradient())
					continue;
				NDArray grad = p.getGradient();
				grad.attach(s);
				NDArray[] m = moments.computeIfAbsent(param.name(),
						k -> new NDArray[] { state.zeros(p.getShape()), state.zeros(p.getShape()) });
				m[0].tempAttach(s);
				m[1].tempAttach(s);
				p.muli(decay);
				m[0].muli(AdamW.BETA1).addi(grad.mul(1 - AdamW.BETA1));
				m[1].muli(AdamW.BETA2).addi(grad.mul(1 - AdamW.BETA2).mul(grad));
				p.addi(m[0].mul(-stepSize).div(m[1].sqrt().div(bias2Sqrt).add(AdamW.EPS)));
				grad.muli(0f);
			}
		}
	}
}
