package org.mnseg.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.SplittableRandom;

import org.junit.Test;

public class LrgSamplingTest {

	private static final LrgSampling.Stage PAPER = new LrgSampling.Stage(500, 4000, 1e-3, 0);

	/** b_u of one batch under the paper's per-batch floor. */
	private static int perBatch(LrgSampling s, int batch, double lr, int epoch, LrgSampling.Stage stage) {
		double share = s.share(lr, epoch, stage, 8, 72);
		return s.unlabeledPerStep(share, batch, 1, LrgSampling.Rounding.BATCH, step -> null)[0];
	}

	@Test
	public void paperFormulaFollowsTheLearningRate() {
		// b_u = floor((lr0 - lr) / (lr0 - lrFinal) * B), B = 5
		assertEquals(0, perBatch(LrgSampling.LR, 5, 1e-3, 500, PAPER));
		assertEquals(2, perBatch(LrgSampling.LR, 5, 0.5e-3, 2250, PAPER));
		assertEquals(4, perBatch(LrgSampling.LR, 5, 1e-5, 3990, PAPER));
		assertEquals(5, perBatch(LrgSampling.LR, 5, 0, 3999, PAPER));
	}

	@Test
	public void referenceCodeIsLinearInTheEpochAndNeverReachesB() {
		LrgSampling.Stage stage = new LrgSampling.Stage(500, 4000, 1, 0);
		assertEquals(0, perBatch(LrgSampling.LINEAR, 5, 0, 500, stage));
		assertEquals(2, perBatch(LrgSampling.LINEAR, 5, 0, 500 + 1750, stage));
		assertEquals(4, perBatch(LrgSampling.LINEAR, 5, 0, 3999, stage));
	}

	@Test
	public void uniformFollowsThePoolSizes() {
		SplittableRandom rng = new SplittableRandom(1);
		int steps = 4000;
		double share = LrgSampling.UNIFORM.share(1, 600, PAPER, 8, 72);
		int total = 0;
		for (int n : LrgSampling.UNIFORM.unlabeledPerStep(share, 5, steps, LrgSampling.Rounding.BATCH, step -> rng)) total += n;
		// expected 72/80 = 0.9; standard error sqrt(0.09/20000) ~ 0.002
		assertEquals(0.9, total / (5.0 * steps), 0.01);
	}

	@Test
	public void noUnlabeledVolumesMeansNoUnlabeledPatches() {
		for (LrgSampling s : LrgSampling.values()) {
			double share = s.share(0, 3999, PAPER, 8, 0);
			for (LrgSampling.Rounding r : LrgSampling.Rounding.values())
				for (int n : s.unlabeledPerStep(share, 5, 8, r, step -> new SplittableRandom(1))) assertEquals(0, n);
		}
	}

	@Test
	public void theControlNeverSamplesUnlabeledPatches() {
		assertEquals(0, LrgSampling.NONE.share(0, 3999, PAPER, 8, 72), 0);
	}

	@Test
	public void epochRoundingGivesSmallBatchesTheirShare() {
		// B = 2, 8 steps: at a share of 0.3 the per-batch floor gives nothing, the epoch gets round(0.3 * 16) = 5
		int[] perBatch = LrgSampling.LR.unlabeledPerStep(0.3, 2, 8, LrgSampling.Rounding.BATCH, step -> null);
		int[] perEpoch = LrgSampling.LR.unlabeledPerStep(0.3, 2, 8, LrgSampling.Rounding.EPOCH, step -> null);
		assertEquals(0, java.util.Arrays.stream(perBatch).sum());
		assertEquals(5, java.util.Arrays.stream(perEpoch).sum());
		for (int n : perEpoch) assertTrue(n >= 0 && n <= 2);
		// for every share the epoch's total is round(share x B x steps), each step within [0, B]
		for (int k = 0; k <= 100; k++) {
			double share = k / 100.0;
			int[] counts = LrgSampling.LR.unlabeledPerStep(share, 2, 8, LrgSampling.Rounding.EPOCH, step -> null);
			assertEquals(Math.round(share * 16 + 1e-9), java.util.Arrays.stream(counts).sum());
			for (int n : counts) assertTrue(n >= 0 && n <= 2);
		}
	}

	@Test
	public void slicesAreDistinctSortedAndSeeded() {
		int[] a = EpochTrainer.chooseSlices(32, 16, new SplittableRandom(4));
		int[] b = EpochTrainer.chooseSlices(32, 16, new SplittableRandom(4));
		assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
		for (int i = 1; i < a.length; i++) assertTrue(a[i] > a[i - 1]);
		assertTrue(a[0] >= 0 && a[15] < 32);
	}
}
