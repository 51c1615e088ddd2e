package org.mnseg.nn;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Deterministic test inputs (the engine's own random generator is not seeded in tests). */
final class TestTensors {
	private TestTensors() {
	}

	/** Standard normal values from a seeded generator. */
	static float[] gaussian(long size, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		float[] v = new float[Math.toIntExact(size)];
		for (int i = 0; i < v.length; i++) {
			// Box-Muller
			double u = 1 - random.nextDouble();
			v[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
		}
		return v;
	}

	static NDArray gaussian(NDManager m, Shape shape, long seed) {
		return m.create(gaussian(shape.size(), seed), shape);
	}

	/** A learnable segmentation of an N x 1 x spatial input: class 1 where the input is positive. */
	static NDArray positiveLabels(NDArray input) {
		Shape s = input.getShape();
		float[] v = input.toFloatArray();
		int[] labels = new int[v.length];
		for (int i = 0; i < v.length; i++)
			labels[i] = v[i] > 0 ? 1 : 0;
		long[] dims = new long[s.dimension() - 1];
		dims[0] = s.get(0);
		for (int i = 2; i < s.dimension(); i++)
			dims[i - 1] = s.get(i);
		return input.getManager().create(labels, new Shape(dims));
	}
}
