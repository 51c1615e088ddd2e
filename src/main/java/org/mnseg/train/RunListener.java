package org.mnseg.train;

/**
 * Receives progress from a training run. The command line prints it on one updating line; the Fiji layer shows it in
 * the status bar and a live plot.
 */
public interface RunListener {

	/** One finished epoch. Losses are means over the epoch's steps; NaN where not applicable. */
	record EpochReport(String model, int epoch, int epochs, double loss, double lr, double elapsedSeconds, double secondsLeft,
		double rssMb) {}

	default void epochFinished(EpochReport report) {}

	/** Mean Dice over foreground classes on the held-out validation volumes after {@code epoch}. */
	default void validated(int epoch, double dice) {}

	/** A step inside an epoch, for fine-grained progress. */
	default void stepFinished(int epoch, int step, int stepsPerEpoch) {}

	/** A plain status message ("loading data", "evaluating case 3 of 20"). */
	default void message(String text) {}

	RunListener NONE = new RunListener() {};
}
