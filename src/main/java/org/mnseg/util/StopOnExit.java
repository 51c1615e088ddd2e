package org.mnseg.util;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * While open, an exit of the JVM (SIGTERM from a cluster's time limit, {@code scancel} or {@code kill}; Ctrl-C; Fiji
 * quitting) asks the run to stop at its next safe point, as Fiji's Cancel does: training after the step it is in,
 * keeping the last epoch's checkpoint for a resume; segmentation and suggestions between windows, keeping the files
 * written. Without it the JVM would exit while the engine's native code is still in a step, which can crash in
 * PyTorch's teardown.
 *
 * <p>The JVM runs its shutdown hooks while the other threads go on, so the hook raises the flag the run polls
 * ({@link #requested}) and waits, at most {@link #GRACE_SECONDS}, for the run to end ({@link #close}). A scheduler
 * that loses patience sends SIGKILL, which checkpoints and outputs survive as well (they are written atomically).
 */
public final class StopOnExit implements AutoCloseable {
	/** Longer than a training step or a window on any data this runs on; a scheduler's own grace may be shorter. */
	public static final int GRACE_SECONDS = 60;
	/** The most calls of a stuck run's stack its last line names. */
	private static final int MAX_FRAMES = 16;
	private static final String PRODUCT = "org.mnseg.";

	private final AtomicBoolean requested = new AtomicBoolean();
	private final CountDownLatch finished = new CountDownLatch(1);
	private final Thread hook;

	/**
	 * @param who    how the run names itself in the two lines it prints on a stop (e.g. "mn", "M&amp;N Co-Train")
	 * @param report where those lines go (standard error: at exit a window may be gone)
	 */
	public StopOnExit(String who, PrintStream report) {
		Thread run = Thread.currentThread();
		hook = new Thread(() -> {
			requested.set(true);
			report.println();
			report.println(who + ": asked to exit (SIGTERM, Ctrl-C or quit): finishing the current step, then stopping; the files written so far are kept.");
			try {
				if (!finished.await(GRACE_SECONDS, TimeUnit.SECONDS))
					report.println(who + ": still busy after " + GRACE_SECONDS + " s (" + whereIs(run) + "); exiting. A training run resumes from its last checkpoint.");
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "stop-on-exit");
		Runtime.getRuntime().addShutdownHook(hook);
	}

	/**
	 * Where a run that outlives the grace is, for a bug report, in one line: its thread's innermost calls up to the
	 * first of this product's (which says what the run was doing; the calls above it say what it waits for).
	 */
	static String whereIs(Thread run) {
		StackTraceElement[] stack = run.getStackTrace();
		if (stack.length == 0) return "its thread has ended";
		StringBuilder at = new StringBuilder("at ").append(stack[0]);
		for (int i = 1; i < Math.min(MAX_FRAMES, stack.length) && !stack[i - 1].getClassName().startsWith(PRODUCT); i++)
			at.append(" < ").append(stack[i]);
		return at.toString();
	}

	/** Whether an exit asked the run to stop: the run's cancel check. */
	public boolean requested() {
		return requested.get();
	}

	/** The run has ended (and said its last line): an exit waits no longer, and a later one is not the run's concern. */
	@Override
	public void close() {
		finished.countDown();
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		} catch (IllegalStateException exiting) {
			// the JVM is already exiting: the hook is running and has just been released
		}
	}
}
