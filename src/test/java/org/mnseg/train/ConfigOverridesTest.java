package org.mnseg.train;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

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
	public void describeCoversEveryOption() {
		assertEquals(ConfigOverrides.options().size(), ConfigOverrides.describe().size());
	}
}
