package org.mnseg.util;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.Test;

public class OptionMapTest {
	private final OptionMap o = new OptionMap(Map.of("rank", 4.0, "alpha", "8.5", "merge", "TRUE", "half", 2.5, "word", "many"), "network x");

	@Test
	public void readsJsonNumbersAndCommandLineText() {
		assertEquals(4, o.integer("rank", null));
		assertEquals(8.5, o.number("alpha", null), 0);
		assertTrue(o.flag("merge", false));
		assertFalse(o.flag("absent", false));
		assertEquals(7, o.integer("absent", 7));
		assertEquals("many", o.string("word", null));
	}

	@Test
	public void mistakesNameTheOptionAndItsOwner() {
		assertTrue(assertThrows(UserError.class, () -> o.integer("half", 1)).getMessage().contains("Option 'half' of network x must be a whole number"));
		assertTrue(assertThrows(UserError.class, () -> o.number("word", 1.0)).getMessage().contains("must be a number, got 'many'"));
		assertTrue(assertThrows(UserError.class, () -> o.flag("word", false)).getMessage().contains("true or false"));
		assertTrue(assertThrows(UserError.class, () -> o.integer("absent", null)).getMessage().contains("Network x needs the option 'absent'"));
		String unknown = assertThrows(UserError.class, () -> o.requireKnown(Set.of("rank"))).getMessage();
		assertTrue(unknown, unknown.startsWith("Unknown option '") && unknown.contains("known options are [rank]"));
	}
}
