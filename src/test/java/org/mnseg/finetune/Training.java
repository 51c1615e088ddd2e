package org.mnseg.finetune;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import org.mnseg.nn.AdamW;
import org.mnseg.nn.Losses;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** Real training steps, seeded inputs and parameter snapshots shared by the fine-tuning tests. */
final class Training {
	private Training() {
	}

	/** N x 1 x size x size slices with values from a seeded generator. */
	static NDArray slices(NDManager m, int n, int size, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		float[] v = new float[n * size * size];
		for (int i = 0; i < v.length; i++)
			v[i] = (float) r.nextDouble();
		return m.create(v, new Shape(n, 1, size, size));
	}

	/**
	 * {@code steps} AdamW steps (lr 1e-3, weight decay 0.01) on cross-entropy + squared Dice for a random batch and
	 * random labels, the network in training mode; the optimiser sees every parameter and skips frozen ones itself.
	 */
	static void train(Network net, int steps, int size, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		Engine.getInstance().setRandomSeed((int) seed); // dropout and drop path, for reproducible failures
		try (AdamW opt = new AdamW(net.params())) {
			for (int s = 0; s < steps; s++) {
				try (NDManager step = net.manager().newSubManager()) {
					NDArray x = slices(step, 2, size, r.nextLong());
					int[] labels = new int[2 * size * size];
					for (int i = 0; i < labels.length; i++)
						labels[i] = r.nextInt(net.numClasses());
					NDArray target = Losses.oneHot(step.create(labels, new Shape(2, size, size)).toType(DataType.INT64,
							false), net.numClasses());
					try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						NDArray logits = net.forward(x, true);
						gc.backward(Losses.crossEntropy(logits, target).add(Losses.squaredDice(logits, target)));
					}
					opt.step(1e-3f);
				}
			}
		}
	}

	/** Copies of all parameter values by name. */
	static Map<String, float[]> snapshot(Network net) {
		Map<String, float[]> values = new LinkedHashMap<>();
		for (Param p : net.params())
			values.put(p.name(), p.array().toFloatArray());
		return values;
	}

	/**
	 * Frozen parameters are bit-identical to the snapshot, trainable ones all moved. Parameters {@code exempt} picks
	 * (running statistics, which training-mode BatchNorm updates without the optimiser) are skipped.
	 */
	static void assertOnlyTrainableMoved(Network net, Map<String, float[]> before, Predicate<Param> exempt) {
		int moved = 0;
		for (Param p : net.params()) {
			if (exempt.test(p))
				continue;
			float[] old = before.get(p.name());
			float[] now = p.array().toFloatArray();
			if (p.trainable()) {
				assertFalse(p.name() + " is trainable but did not move", Arrays.equals(old, now));
				moved++;
			} else {
				assertArrayEquals(p.name() + " is frozen but moved", old, now, 0f);
			}
		}
		assertTrue("some parameters must be trainable", moved > 0);
	}

	/** Output in evaluation mode for a fixed batch. */
	static float[] output(Network net, int size) {
		try (NDManager step = net.manager().newSubManager()) {
			return net.forward(slices(step, 2, size, 99), false).toFloatArray();
		}
	}

	static Param param(Network net, String name) {
		return net.params().stream().filter(p -> p.name().equals(name)).findFirst()
				.orElseThrow(() -> new AssertionError("no parameter " + name));
	}

	static List<String> trainableNames(Network net) {
		return net.params().stream().filter(Param::trainable).map(Param::name).toList();
	}

	static void assertBitIdentical(String what, float[] expected, float[] actual) {
		assertEquals(what, expected.length, actual.length);
		assertTrue(what + ": outputs differ", Arrays.equals(expected, actual));
	}

	static double maxAbsDifference(float[] a, float[] b) {
		double max = 0;
		for (int i = 0; i < a.length; i++)
			max = Math.max(max, Math.abs(a[i] - b[i]));
		return max;
	}
}
