package org.mnseg.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM (a cluster's time limit, {@code kill}, {@code scancel}) and Ctrl-C ask the running command to stop at its next
 * safe point, as Fiji's Cancel does: training after the current step, keeping the last epoch's checkpoint for
 * {@code --resume}; segmentation and suggestions between windows, keeping the files written. Without this the JVM
 * would exit while the engine's native code is still running a step, which can crash in PyTorch's teardown.
 *
 * <p>The JVM runs its shutdown hooks while the other threads go on, so the hook raises the flag the command polls and
 * waits, at most {@link #GRACE_SECONDS}, for the command to return ({@link #finished}). A scheduler that loses patience
 * sends SIGKILL, which the checkpoints survive as well.
 */
final class StopSignal {
	/** Longer than a training step or a window on any data this runs on; a scheduler's own grace may be shorter. */
	static final int GRACE_SECONDS = 60;

	private static final AtomicBoolean requested = new AtomicBoolean();
	private static final CountDownLatch finished = new CountDownLatch(1);

	private StopSignal() {}

	/** Installs the hook (once, by {@code main}; commands run from tests never see a signal). */
	static void install(PrintStream err) {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			if (finished.getCount() == 0) return; // the normal exit
			requested.set(true);
			err.println();
			err.println("mn: stop requested (SIGTERM or Ctrl-C): finishing the current step, then stopping; the files written so far are kept.");
			try {
				if (!finished.await(GRACE_SECONDS, TimeUnit.SECONDS))
					err.println("mn: still busy after " + GRACE_SECONDS + " s; exiting. A training run resumes from its last checkpoint with --resume.");
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "mn-stop-signal"));
	}

	/** Whether a stop was asked for: the cancel check every long-running command polls. */
	static boolean requested() {
		return requested.get();
	}

	/** The command has returned (and printed its last line): the JVM may exit. */
	static void finished() {
		finished.countDown();
	}
}
