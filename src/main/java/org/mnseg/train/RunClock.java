package org.mnseg.train;

/**
 * Training time of a run, across resumes: the seconds spent before this process started (from the checkpoint) plus
 * those since, and the time left estimated from this process's own epochs.
 */
final class RunClock {
	private final double secondsBefore;
	private final int firstEpoch;
	private final long start = System.nanoTime();

	RunClock(double secondsBefore, int firstEpoch) {
		this.secondsBefore = secondsBefore;
		this.firstEpoch = firstEpoch;
	}

	double elapsedSeconds() {
		return secondsBefore + secondsThisProcess();
	}

	/** Seconds left after {@code epoch} (0-based) of {@code epochs}, at this process's mean pace. */
	double secondsLeft(int epoch, int epochs) {
		return secondsThisProcess() / (epoch - firstEpoch + 1) * (epochs - epoch - 1);
	}

	private double secondsThisProcess() {
		return (System.nanoTime() - start) / 1e9;
	}
}
