package org.mnseg.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;

import org.junit.Test;

public class DistanceTransformTest {

	/** Distance from voxel i to the nearest feature by checking every feature voxel: the definition itself. */
	private static double bruteForce(boolean[] feature, int[] shape, double[] spacing, int i) {
		int x = i % shape[0], y = (i / shape[0]) % shape[1], z = i / (shape[0] * shape[1]);
		double best = Double.POSITIVE_INFINITY;
		for (int j = 0; j < feature.length; j++) {
			if (!feature[j]) continue;
			double dx = (j % shape[0] - x) * spacing[0];
			double dy = ((j / shape[0]) % shape[1] - y) * spacing[1];
			double dz = (j / (shape[0] * shape[1]) - z) * spacing[2];
			best = Math.min(best, dx * dx + dy * dy + dz * dz);
		}
		return Math.sqrt(best);
	}

	@Test
	public void matchesBruteForceOnRandomVolumesWithRandomSpacing() {
		Random random = new Random(7);
		for (int trial = 0; trial < 12; trial++) {
			int[] shape = { 1 + random.nextInt(11), 1 + random.nextInt(9), 1 + random.nextInt(8) };
			double[] spacing = { 0.3 + 3 * random.nextDouble(), 0.3 + 3 * random.nextDouble(), 0.3 + 3 * random.nextDouble() };
			// densities from a single-voxel-ish sparse set to mostly features
			double density = new double[] { 0.01, 0.05, 0.3, 0.8 }[trial % 4];
			boolean[] feature = new boolean[shape[0] * shape[1] * shape[2]];
			for (int i = 0; i < feature.length; i++) feature[i] = random.nextDouble() < density;
			feature[random.nextInt(feature.length)] = true; // at least one
			double[] d = DistanceTransform.euclidean(feature, shape, spacing);
			for (int i = 0; i < feature.length; i++)
				assertEquals("trial " + trial + " voxel " + i, bruteForce(feature, shape, spacing, i), d[i], 1e-9);
		}
	}

	@Test
	public void singleFeatureGivesEuclideanNormOfOffset() {
		int[] shape = { 9, 7, 5 };
		double[] spacing = { 0.5, 2, 3.5 };
		boolean[] feature = new boolean[9 * 7 * 5];
		int fx = 2, fy = 5, fz = 1;
		feature[fx + 9 * (fy + 7 * fz)] = true;
		double[] d = DistanceTransform.euclidean(feature, shape, spacing);
		for (int z = 0; z < 5; z++)
			for (int y = 0; y < 7; y++)
				for (int x = 0; x < 9; x++)
					assertEquals(Math.hypot(Math.hypot((x - fx) * 0.5, (y - fy) * 2.0), (z - fz) * 3.5), d[x + 9 * (y + 7 * z)], 1e-12);
	}

	@Test
	public void noFeatureGivesInfinity() {
		double[] d = DistanceTransform.euclidean(new boolean[4 * 3 * 2], new int[] { 4, 3, 2 }, new double[] { 1, 1, 1 });
		for (double v : d) assertEquals(Double.POSITIVE_INFINITY, v, 0);
	}

	@Test
	public void largeVolumeIsFastAndExactOnSamples() {
		int[] shape = { 160, 160, 64 };
		double[] spacing = { 0.625, 0.625, 1.25 };
		Random random = new Random(3);
		boolean[] feature = new boolean[160 * 160 * 64];
		for (int k = 0; k < 300; k++) feature[random.nextInt(feature.length)] = true;
		DistanceTransform.euclidean(feature, shape, spacing); // warm-up (JIT)
		long start = System.nanoTime();
		double[] d = DistanceTransform.euclidean(feature, shape, spacing);
		double seconds = (System.nanoTime() - start) / 1e9;
		System.out.printf("distance transform 160x160x64: %.3f s%n", seconds);
		// loose bound for a shared 2-core test machine; a pair search would take hours
		assertTrue("took " + seconds + " s", seconds < 3);
		for (int k = 0; k < 40; k++) {
			int i = random.nextInt(feature.length);
			assertEquals(bruteForce(feature, shape, spacing, i), d[i], 1e-9);
		}
	}
}
