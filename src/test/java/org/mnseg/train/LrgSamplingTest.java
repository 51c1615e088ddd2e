package org.mnseg.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.SplittableRandom;

import org.junit.Test;

public class LrgSamplingTest {

	@Test
	public void paperFormulaFollowsTheLearningRate() {
		// b_u = floor((lr0 - lr) / (lr0 - lrFinal) * B), B = 5
		assertEquals(0, LrgSampling.LR.unlabeledCount(5, 1e-3, 1e-3, 0, 500, 500, 4000, 8, 72, null));
		assertEquals(2, LrgSampling.LR.unlabeledCount(5, 0.5e-3, 1e-3, 0, 2250, 500, 4000, 8, 72, null));
		assertEquals(4, LrgSampling.LR.unlabeledCount(5, 1e-5, 1e-3, 0, 3990, 500, 4000, 8, 72, null));
		assertEquals(5, LrgSampling.LR.unlabeledCount(5, 0, 1e-3, 0, 3999, 500, 4000, 8, 72, null));
	}

	@Test
	public void referenceCodeIsLinearInTheEpochAndNeverReachesB() {
		assertEquals(0, LrgSampling.LINEAR.unlabeledCount(5, 0, 1, 0, 500, 500, 4000, 8, 72, null));
		assertEquals(2, LrgSampling.LINEAR.unlabeledCount(5, 0, 1, 0, 500 + 1750, 500, 4000, 8, 72, null));
		assertEquals(4, LrgSampling.LINEAR.unlabeledCount(5, 0, 1, 0, 3999, 500, 4000, 8, 72, null));
	}

	@Test
	public void uniformFollowsThePoolSizes() {
		SplittableRandom rng = new SplittableRandom(1);
		int total = 0;
		int draws = 4000;
		for (int i = 0; i < draws; i++) total += LrgSampling.UNIFORM.unlabeledCount(5, 1, 1, 0, 600, 500, 4000, 8, 72, rng);
		double share = total / (5.0 * draws);
		// expected 72/80 = 0.9; standard error sqrt(0.09/20000) ~ 0.002
		assertEquals(0.9, share, 0.01);
	}

	@Test
	public void noUnlabeledVolumesMeansNoUnlabeledPatches() {
		for (LrgSampling s : LrgSampling.values())
			assertEquals(0, s.unlabeledCount(5, 0, 1, 0, 3999, 500, 4000, 8, 0, new SplittableRandom(1)));
	}

	@Test
	public void slicesAreDistinctSortedAndSeeded() {
		int[] a = TrainingRun.chooseSlices(32, 16, new SplittableRandom(4));
		int[] b = TrainingRun.chooseSlices(32, 16, new SplittableRandom(4));
		assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
		for (int i = 1; i < a.length; i++) assertTrue(a[i] > a[i - 1]);
		assertTrue(a[0] >= 0 && a[15] < 32);
	}
}
