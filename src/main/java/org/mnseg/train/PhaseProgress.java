package org.mnseg.train;

/**
 * What a progress display needs from {@link RunListener#phase} reports, shared by the command line and Fiji: the time
 * left in the phase at its pace so far, and which reports a log file shows (a few per phase, not one per volume).
 */
public final class PhaseProgress {
	private String name;
	private long start;

	/** Seconds left in the phase at its pace so far; NaN until an item is done. Call with every report. */
	public double secondsLeft(String phase, int done, int total) {
		if (done == 0 || !phase.equals(name)) {
			name = phase;
			start = System.nanoTime();
		}
		if (done <= 0) return Double.NaN;
		return (System.nanoTime() - start) / 1e9 / done * (total - done);
	}

	/** Whether a log file shows this report: the end of each quarter of the phase (every item when it has four or fewer). */
	public static boolean logged(int done, int total) {
		if (done <= 0 || total <= 0) return false;
		return done == total || 4L * done / total > 4L * (done - 1) / total;
	}
}
