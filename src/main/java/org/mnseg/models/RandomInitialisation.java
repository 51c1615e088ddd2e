package org.mnseg.models;

import java.util.SplittableRandom;

import org.mnseg.nn.Network;
import org.mnseg.nn.Param;

/**
 * Replaces a network's (pretrained) weights with a fresh random draw, for the "same network from random
 * initialisation" baselines: weights uniform within +-1/sqrt(fan_in) as PyTorch initialises convolutions and linear
 * layers, biases zero, and normalisation scales one (one-dimensional parameters whose name says weight or gamma).
 */
public final class RandomInitialisation {
	private RandomInitialisation() {}

	public static void apply(Network net, long seed) {
		SplittableRandom rng = new SplittableRandom(seed ^ 0xA11CE5L);
		for (Param p : net.params()) {
			long[] shape = p.array().getShape().getShape();
			float[] values = new float[(int) p.array().size()];
			String name = p.name().toLowerCase(java.util.Locale.ROOT);
			if (shape.length >= 2) {
				long fanIn = 1;
				for (int i = 1; i < shape.length; i++) fanIn *= shape[i];
				double bound = 1.0 / Math.sqrt(fanIn);
				for (int i = 0; i < values.length; i++) values[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
			} else if (!name.contains("running") && (name.endsWith("weight") || name.endsWith("gamma"))) {
				java.util.Arrays.fill(values, 1f);
			} else if (name.contains("running_var")) {
				java.util.Arrays.fill(values, 1f);
			}
			p.set(values);
		}
	}
}
