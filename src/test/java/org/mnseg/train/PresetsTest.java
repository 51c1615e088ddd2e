package org.mnseg.train;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.Map;

import org.junit.Test;

public class PresetsTest {
	@Test
	public void theWarmUpKeepsItsShareWhenTheEpochsChange() {
		TrainingSettings paper = new TrainingSettings();
		Presets.apply("paper", paper, null);
		assertEquals(500, paper.stageOne());
		assertEquals("the paper's per-batch floor", "batch", paper.lrgRounding);
		ConfigOverrides.apply(paper, Map.of("epochs", "100"));
		assertEquals(13, paper.stageOne());

		TrainingSettings cpu = new TrainingSettings();
		Presets.apply("cpu", cpu, new int[] { 35, 51, 35 });
		assertArrayEquals(new int[] { 32, 48, 32 }, cpu.patch);
		assertEquals(200, cpu.epochs);
		assertEquals("B = 2 needs the share counted per epoch", "epoch", cpu.lrgRounding);
		assertEquals(100, cpu.stageOne());
		ConfigOverrides.apply(cpu, Map.of("stage-one-epochs", "30"));
		assertEquals("an explicit number of epochs wins", 30, cpu.stageOne());
	}
}
