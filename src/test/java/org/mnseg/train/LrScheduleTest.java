package org.mnseg.train;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class LrScheduleTest {

	@Test
	public void warmupStartsAtOnePercentAndRisesLinearly() {
		LrSchedule s = new LrSchedule(1e-3, 50, 500, 4000);
		assertEquals(1e-5, s.lr(0), 1e-12);
		assertEquals(1e-3 * (0.01 + 0.99 * 25 / 50.0), s.lr(25), 1e-12);
	}

	@Test
	public void cosineReachesPeakAfterWarmupAndZeroAtStageEnd() {
		LrSchedule s = new LrSchedule(1e-3, 50, 500, 4000);
		assertEquals(1e-3, s.lr(50), 1e-12);
		// half way through the cosine: half the peak
		assertEquals(0.5e-3, s.lr(50 + 225), 1e-12);
		assertEquals(0.5 * 1e-3 * (1 + Math.cos(Math.PI * 449 / 450)), s.lr(499), 1e-15);
	}

	@Test
	public void secondStageRestartsAtPeakAndDecaysToZero() {
		LrSchedule s = new LrSchedule(1e-4, 50, 500, 4000);
		assertEquals(1e-4, s.lr(500), 1e-15);
		assertEquals(0.5e-4, s.lr(500 + 1750), 1e-15);
		assertEquals(0.5 * 1e-4 * (1 + Math.cos(Math.PI * 3499 / 3500)), s.lr(3999), 1e-18);
	}

	@Test
	public void singleStageWithoutWarmupIsPlainCosine() {
		LrSchedule s = new LrSchedule(2e-3, 0, 10, 10);
		assertEquals(2e-3, s.lr(0), 1e-15);
		assertEquals(1e-3, s.lr(5), 1e-15);
	}
}
