package org.mnseg.train;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;
import org.mnseg.util.UserError;

public class ConfigOverridesTest {

	@Test
	public void setsFieldsOfEveryTypeByKebabCaseName() {
		TrainingSettings c = new TrainingSettings();
		Map<String, String> v = new LinkedHashMap<>();
		v.put("lr3d", "3e-4");
		v.put("base-filters", "8");
		v.put("patch", "48,40x32");
		v.put("zoom", "false");
		v.put("seed", "7");
		v.put("blend", "gaussian");
		ConfigOverrides.apply(c, v);
		assertEquals(3e-4, c.lr3d, 0);
		assertEquals(8, c.baseFilters);
		assertArrayEquals(new int[] { 48, 40, 32 }, c.patch);
		assertFalse(c.zoom);
		assertEquals(7, c.seed);
		assertEquals("gaussian", c.blend);
	}

	@Test
	public void unknownOptionListsTheKnownOnes() {
		try {
			ConfigOverrides.apply(new TrainingSettings(), Map.of("learning-rate", "1"));
			fail();
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--learning-rate") && e.getMessage().contains("--lr3d"));
		}
	}

	@Test
	public void badValueSaysWhatWasExpected() {
		try {
			ConfigOverrides.apply(new TrainingSettings(), Map.of("patch", "64,64"));
			fail();
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("three whole numbers"));
		}
		try {
			ConfigOverrides.apply(new TrainingSettings(), Map.of("epochs", "many"));
			fail();
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--epochs many") && e.getMessage().contains("whole number"));
		}
	}

	@Test
	public void describeSaysWhatEveryOptionMeansAndWhatEachPresetSetsItTo() {
		List<String> lines = ConfigOverrides.describe();
		assertEquals(2 * ConfigOverrides.options().size(), lines.size());
		for (int i = 1; i < lines.size(); i += 2) assertTrue(lines.get(i - 1), lines.get(i).trim().length() > 10);
		// the presets' own values, not the bare field defaults
		assertTrue(lines.contains("--batch-size N   [cpu 2, paper 5]"));
		assertTrue(lines.contains("--stage-one-fraction X   [cpu 0.5, paper 0.125]"));
		assertTrue(lines.contains("--patch X,Y,Z   [cpu from the data, paper 160,160,64]"));
		assertTrue(lines.contains("--lrg VALUE   [lr]"));
		assertTrue(lines.contains("--weights2d VALUE   [none]"));
	}
}
