package org.mnseg.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;
import org.mnseg.train.RunListener.EpochReport;
import org.mnseg.util.MemoryUsage;

/** In a log (no terminal), a phase of 156 volumes is four lines, not 156; an epoch is one line. */
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

	@Test
	public void anEpochLineShowsResidentMemoryWhereItCanBeRead() {
		assertEquals("[3d] epoch 3/10  loss 0.5000  lr 1.00e-03  elapsed 0m12s  left 0m28s  rss 900 MB (peak 950)",
			epochLine(new MemoryUsage.Reading(900, 950, 300, 10)));
		// macOS and Windows have no /proc: no "rss -1 MB"
		assertEquals("[3d] epoch 3/10  loss 0.5000  lr 1.00e-03  elapsed 0m12s  left 0m28s", epochLine(new MemoryUsage.Reading(-1, -1, 300, 10)));
	}

	private static String epochLine(MemoryUsage.Reading memory) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8)).epochFinished(new EpochReport("3d", 2, 10, 0.5, 1e-3, 12, 28, memory));
		return bytes.toString(StandardCharsets.UTF_8).strip();
	}
}
