package org.mnseg.train;

/**
 * Learning rate per epoch, as the M&N reference code steps it: a linear warm-up from 1% of the initial rate, then
 * cosine decay to 0 at the end of the first stage; an optional second stage restarts at the initial rate and
 * decays by cosine to 0 at the last epoch (the stage change between labeled warm-up and co-training).
 */
public final class LrSchedule {
	private final double initial;
	private final int warmupEpochs;
	private final int stageOneEpochs;
	private final int totalEpochs;

	/**
	 * @param initial initial (peak) learning rate
	 * @param warmupEpochs epochs of linear warm-up at the start (0 for none)
	 * @param stageOneEpochs length of the first cosine stage; equal to totalEpochs for a single stage
	 * @param totalEpochs all epochs
	 */
	public LrSchedule(double initial, int warmupEpochs, int stageOneEpochs, int totalEpochs) {
		if (totalEpochs < 1) throw new IllegalArgumentException("epochs must be at least 1");
		if (stageOneEpochs < 1 || stageOneEpochs > totalEpochs)
			throw new IllegalArgumentException("stage one must last 1.." + totalEpochs + " epochs, got " + stageOneEpochs);
		if (warmupEpochs < 0 || warmupEpochs >= stageOneEpochs) warmupEpochs = Math.max(0, Math.min(warmupEpochs, stageOneEpochs - 1));
		this.initial = initial;
		this.warmupEpochs = warmupEpochs;
		this.stageOneEpochs = stageOneEpochs;
		this.totalEpochs = totalEpochs;
	}

	/** The rate used during epoch {@code epoch} (0-based). */
	public double lr(int epoch) {
		if (epoch < warmupEpochs) return initial * (0.01 + 0.99 * epoch / warmupEpochs);
		if (epoch < stageOneEpochs) return cosine(epoch - warmupEpochs, stageOneEpochs - warmupEpochs);
		return cosine(epoch - stageOneEpochs, totalEpochs - stageOneEpochs);
	}

	public double initial() {
		return initial;
	}

	/** Rate reached at the end of a schedule, used by learning-rate-guided sampling. */
	public double finalLr() {
		return 0.0;
	}

	public int totalEpochs() {
		return totalEpochs;
	}

	public int stageOneEpochs() {
		return stageOneEpochs;
	}

	/** The same schedule with stage 1 ending (and stage 2 restarting) at epoch {@code end} instead. */
	public LrSchedule stageOneEndingAt(int end) {
		return new LrSchedule(initial, warmupEpochs, end, totalEpochs);
	}

	private double cosine(int step, int length) {
		return 0.5 * initial * (1 + Math.cos(Math.PI * step / length));
	}
}
