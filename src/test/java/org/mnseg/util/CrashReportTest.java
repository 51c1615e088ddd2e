package org.mnseg.util;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A fault of M&N itself is one line for the user and a log file with the whole trace for the bug report. */
public class CrashReportTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();
	private String before;

	@Before
	public void useTemporaryCache() {
		before = System.getProperty("mn.cache");
		System.setProperty("mn.cache", tmp.getRoot().toString());
	}

	@After
	public void restoreCache() {
		if (before == null) System.clearProperty("mn.cache");
		else System.setProperty("mn.cache", before);
	}

	private static Path logNamedIn(String line) {
		Matcher m = Pattern.compile("The details are in (\\S+\\.log)\\.").matcher(line);
		assertTrue(line, m.find());
		return Path.of(m.group(1));
	}

	@Test
	public void oneLineNamesTheErrorAndALogWithTheTrace() throws Exception {
		String line = CrashReport.write("mn segment --input a.nii", new IllegalStateException("window batch broke\nsecond line"));
		assertFalse(line, line.contains("\n"));
		assertTrue(line, line.contains("IllegalStateException: window batch broke") && line.contains("please report it"));
		Path log = logNamedIn(line);
		assertTrue(log.startsWith(tmp.getRoot().toPath().resolve("logs")));
		String text = Files.readString(log);
		assertTrue(text, text.contains("mn segment --input a.nii") && text.contains("second line")
			&& text.contains("at org.mnseg.util.CrashReportTest"));
	}

	@Test
	public void runningOutOfMemorySaysHowToGiveMore() {
		String line = CrashReport.write("mn train", new OutOfMemoryError("Java heap space"));
		assertTrue(line, line.contains("ran out of memory") && line.contains("-Xmx"));
		assertTrue(Files.isRegularFile(logNamedIn(line)));
	}

	@Test
	public void anUnwritableLogFolderStillGivesALine() throws Exception {
		Files.writeString(tmp.getRoot().toPath().resolve("logs"), "a file where the folder should be");
		String line = CrashReport.write("mn train", new IllegalArgumentException("x"));
		assertTrue(line, line.contains("could not be saved") && line.endsWith("follows."));
	}
}
