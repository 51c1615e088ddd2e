package org.mnseg.train;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Predictions during training take no more windows per pass than a training step takes patches. */
public class EpochTrainerTest {
	private static int windowsPerPass(int batchSize, int windowBatch) {
		TrainingSettings s = new TrainingSettings();
		s.batchSize = batchSize;
		s.windowBatch = windowBatch;
		return EpochTrainer.predictionWindow(s).batch();
	}

	@Test
	public void predictionsTakeAtMostABatchOfWindows() {
		assertEquals("the cpu preset's batch of 2 under the default 8 windows", 2, windowsPerPass(2, 8));
		assertEquals("the paper's batch of 5", 5, windowsPerPass(5, 8));
		assertEquals("a smaller window batch asked for stays", 1, windowsPerPass(2, 1));
		assertEquals(8, windowsPerPass(16, 8));
	}
}
