package org.mnseg.fiji;

import java.awt.GraphicsEnvironment;
import java.util.concurrent.CancellationException;

import org.mnseg.util.DiskFullError;
import org.mnseg.util.UserError;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;

/**
 * How the commands talk to the user: message dialogs with a GUI, the log when headless or in a batch-mode macro.
 * User mistakes ({@link UserError}) show their message only, never a stack trace; a running macro is aborted after
 * an error so that its next line does not run on a missing result.
 */
public final class Feedback {
	static final String TITLE = "M&N";

	private Feedback() {}

	/** True where no window may be opened: a headless JVM or a batch-mode macro. */
	public static boolean quiet() {
		return GraphicsEnvironment.isHeadless() || Interpreter.isBatchMode();
	}

	/** A line in the log window; stdout when headless or when ImageJ has no main window (batch runs, scripts). */
	public static void log(String text) {
		if (noWindow()) System.out.println(text);
		else IJ.log(text);
	}

	/** A status-bar message; also logged where there is no status bar. */
	public static void status(String text) {
		if (noWindow()) System.out.println(text);
		else IJ.showStatus(text);
	}

	/** A line for both the log window and the status bar; printed once where there are neither. */
	public static void logAndStatus(String text) {
		log(text);
		if (!noWindow()) IJ.showStatus(text);
	}

	private static boolean noWindow() {
		return GraphicsEnvironment.isHeadless() || IJ.getInstance() == null;
	}

	/**
	 * Reports a failure of a command: user mistakes and cancellation as plain messages, anything else (a bug) with
	 * its stack trace through ImageJ's exception handler.
	 */
	public static void report(String command, Throwable t) {
		if (t instanceof CancellationException) {
			// the core's message names --resume; in Fiji it is the Resume checkbox
			String msg = command + " cancelled. " + (t.getMessage() == null ? "" : DialogWords.of(command, t.getMessage()));
			logAndStatus(msg);
			return;
		}
		UserError user = userError(t);
		// a full disk met by ImageJ's own writers: the user's one line too
		if (user == null) user = DiskFullError.of(null, t);
		if (user != null) error(command, user.getMessage());
		else {
			if (GraphicsEnvironment.isHeadless()) t.printStackTrace();
			else IJ.handleException(t);
		}
		abortMacro();
		BatchExit.afterFailure();
	}

	/**
	 * An error message, in the dialog's words ({@link DialogWords}): in the log always (where it can be copied and
	 * stays after the dialog is closed), and as a message dialog with a GUI.
	 */
	public static void error(String command, String message) {
		String text = DialogWords.of(command, message);
		log(command + " error: " + text);
		if (!quiet()) IJ.error(command, text);
	}

	private static UserError userError(Throwable t) {
		for (Throwable c = t; c != null; c = c.getCause())
			if (c instanceof UserError u) return u;
		return null;
	}

	/** Stops the macro that called the command, if any (the macro's next line would work on a missing result). */
	static void abortMacro() {
		if (Macro.getOptions() != null || Interpreter.getInstance() != null) {
			Interpreter interp = Interpreter.getInstance();
			if (interp != null) interp.abortMacro();
		}
	}
}
