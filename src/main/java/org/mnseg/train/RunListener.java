package org.mnseg.train;

/**
 * Receives progress from a training run. The command line prints it on one updating line; the Fiji layer shows it in
 * the status bar and a live plot.
 */
public interface RunListener {

	/**
	 * One finished epoch. Losses are means over the epoch's steps; NaN where not applicable. {@code memory}: at the
	 * epoch's end, its peak covering the phases since the previous report (a foreground refresh or a validation before
	 * the epoch included).
	 */
	record EpochReport(String model, int epoch, int epochs, double loss, double lr, double elapsedSeconds, double secondsLeft,
		org.mnseg.util.MemoryUsage.Reading memory) {
		/** Resident memory at the epoch's end, in MB. */
		public double rssMb() {
			return memory.rssMb();
		}
	}

	default void epochFinished(EpochReport report) {}

	/** Mean Dice over foreground classes on the held-out validation volumes after {@code epoch}. */
	default void validated(int epoch, double dice) {}

	/** A step inside an epoch, for fine-grained progress. */
	default void stepFinished(int epoch, int step, int stepsPerEpoch) {}

	/**
	 * Progress through a long phase outside the epochs' steps: reading the volumes, a foreground refresh, the test
	 * evaluation. Called with {@code done} = 0 when the phase starts, then after each of its {@code total} items (volumes,
	 * cases); {@code name} says what the phase is ("Reading volumes", "Test evaluation"). A listener shows it as a
	 * progress bar ({@link PhaseProgress} times it and picks the few lines a log file needs), not as a line per item.
	 */
	default void phase(String name, int done, int total) {}

	/** A plain status message ("Training mn on ...", "Saved model.mnmodel"). */
	default void message(String text) {}

	RunListener NONE = new RunListener() {};
}
