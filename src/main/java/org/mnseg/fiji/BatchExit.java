package org.mnseg.fiji;

import ij.IJ;

/**
 * An exit status for macros run in batch ({@code ImageJ -batch macro.ijm}, {@code fiji --headless -batch}), where
 * ImageJ ends with status 0 whatever happened, so a shell script or a cluster job cannot tell a failure. A macro that
 * calls {@code call("org.mnseg.fiji.BatchExit.enable");} makes every later failing M&amp;N command end such a JVM
 * with status 1, and {@code call("org.mnseg.fiji.BatchExit.fail", "what went wrong");} does the same for the
 * macro's own checks. Where ImageJ has a window (a macro run from the menu) nothing ends: the message is shown and the
 * macro stops, as after any failing command.
 */
public final class BatchExit {
	/** The exit status of a failed batch run. */
	public static final int FAILED = 1;

	private static volatile boolean enabled;

	private BatchExit() {}

	/** From a macro: failures from now on end a batch JVM with status {@link #FAILED}. Returns "" (macro calls need a value). */
	public static String enable() {
		enabled = true;
		return "";
	}

	/** From a macro: reports the message as an error, stops the macro and, in batch, ends the JVM with status {@link #FAILED}. */
	public static String fail(String message) {
		enabled = true;
		Feedback.error(Feedback.TITLE, message);
		Feedback.abortMacro();
		afterFailure();
		return "";
	}

	/** Called after a command failed: ends the JVM when enabled and ImageJ has no window (a batch run). */
	static void afterFailure() {
		if (!enabled || IJ.getInstance() != null) return;
		System.out.flush();
		System.err.println("M&N: stopping with exit status " + FAILED + " after the error above.");
		System.exit(FAILED);
	}
}
