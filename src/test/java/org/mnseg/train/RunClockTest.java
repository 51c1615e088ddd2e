package org.mnseg.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

/** The time left counts the whole-volume predictions still ahead, at the speed last measured for their model. */
public class RunClockTest {
	@Test
	public void predictionsAheadJoinTheTimeLeft() {
		RunClock clock = new RunClock(0, 0);
		clock.plan(List.of(new RunClock.Planned(5, "3d", 1000), new RunClock.Planned(10, "3d", 3000), new RunClock.Planned(10, "2d", 100)));
		assertTrue(clock.needsPredictionSpeed(0));
		assertTrue(Double.isNaN(clock.secondsLeft(9, 10)));
		clock.predicted("3d", 2.0, 1000); // 2 ms per voxel; the 2-D model has no speed of its own yet and borrows it
		assertFalse(clock.needsPredictionSpeed(0));
		// after the last epoch no epoch is left: only what runs before "epoch 10" (after training) remains
		assertEquals(3000 * 0.002 + 100 * 0.002, clock.secondsLeft(9, 10), 1e-9);
		clock.predicted("2d", 1.0, 100);
		assertEquals(3000 * 0.002 + 100 * 0.01, clock.secondsLeft(9, 10), 1e-9);
		// the refresh before epoch 5 counts while it lies ahead
		assertTrue(clock.secondsLeft(4, 10) >= 1000 * 0.002 + 3000 * 0.002 + 100 * 0.01);
	}

	@Test
	public void aLogShowsAFewLinesOfAPhase() {
		int shown = 0;
		for (int done = 0; done <= 156; done++) if (PhaseProgress.logged(done, 156)) shown++;
		assertEquals(4, shown);
		assertTrue(PhaseProgress.logged(156, 156));
		assertFalse(PhaseProgress.logged(0, 156));
		for (int done = 1; done <= 3; done++) assertTrue(PhaseProgress.logged(done, 3));
	}
}
