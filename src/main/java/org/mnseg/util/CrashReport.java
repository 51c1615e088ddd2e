package org.mnseg.util;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What a user sees when M&N itself fails (a bug, not a mistake in the input): one line naming the error and a log
 * file that holds the whole trace, written under the cache folder's {@code logs/}, so that nothing scrolls away and
 * the file can be attached to a bug report.
 */
public final class CrashReport {
	private CrashReport() {}

	/** The folder crash logs go to. */
	public static Path folder() {
		return CacheFolder.root().resolve("logs");
	}

	/**
	 * Writes the trace of {@code error} with the command that failed and returns the line to show; if the log cannot
	 * be written, the line says so and the caller should print the trace itself.
	 */
	public static String write(String command, Throwable error) {
		String what = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + firstLine(error.getMessage()));
		StringWriter trace = new StringWriter();
		error.printStackTrace(new PrintWriter(trace));
		String text = "M&N for Fiji " + Version.describe() + "\ncommand: " + command + "\njava: " + System.getProperty("java.version") + ", "
			+ System.getProperty("os.name") + " " + System.getProperty("os.arch") + "\n\n" + trace;
		String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
		Path log = folder().resolve("mn-" + stamp + ".log");
		try {
			AtomicFiles.writeVia(log, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
		} catch (RuntimeException e) {
			return "internal error (" + what + "); the trace could not be saved (" + e.getMessage() + ") and follows.";
		}
		String advice = error instanceof OutOfMemoryError
			? " Java ran out of memory: give it more (e.g. MN_JAVA_OPTS=-Xmx16g, or Fiji's Edit > Options > Memory) or use a smaller patch or batch."
			: " This is a fault of M&N, not of your input: please report it with that file.";
		return "internal error (" + what + "). The details are in " + log + "." + advice;
	}

	private static String firstLine(String s) {
		int nl = s.indexOf('\n');
		return nl < 0 ? s : s.substring(0, nl);
	}
}
