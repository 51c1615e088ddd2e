package org.mnseg.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;

/** In a log (no terminal), a phase of 156 volumes is four lines, not 156. */
public class ConsoleProgressTest {
	@Test
	public void aPhaseIsAFewLinesInALog() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
		for (int done = 0; done <= 156; done++) progress.phase("Reading volumes", done, 156);
		List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
		assertEquals(lines.toString(), 4, lines.size());
		assertTrue(lines.get(0), lines.get(0).startsWith("Reading volumes: 39/156"));
		assertTrue(lines.get(3), lines.get(3).startsWith("Reading volumes: 156/156"));
	}
}
