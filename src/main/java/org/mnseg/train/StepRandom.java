package org.mnseg.train;

import java.util.SplittableRandom;

/**
 * Random streams derived from (seed, epoch, step, slot) rather than drawn from one long-lived generator: a run
 * resumed at any epoch sees exactly the patches an uninterrupted run would have seen, with no generator state to save.
 */
public final class StepRandom {
	private StepRandom() {}

	public static SplittableRandom of(long seed, long... keys) {
		long h = mix(seed ^ 0x9E3779B97F4A7C15L);
		for (long k : keys) h = mix(h ^ (k + 0x632BE59BD9B4E019L));
		return new SplittableRandom(h);
	}

	private static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}
}
