package org.mnseg.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Training time of a run, across resumes: the seconds spent before this process started (from the checkpoint) plus
 * those since, and the time left. The time left is the epochs left at this process's pace plus the whole-volume
 * predictions still ahead (foreground refreshes, validation, the test evaluation), each estimated from the seconds
 * per voxel its model took in the latest prediction measured. Prediction time is kept out of the epochs' pace: a
 * refresh of 150 volumes would otherwise count as slow epochs before it and be missing from the estimate until then.
 */
final class RunClock {
	/**
	 * A whole-volume prediction ahead: it runs before epoch {@code beforeEpoch} trains (the epochs' count for what
	 * follows the last one), with the model of {@code role}, over {@code voxels} voxels in all.
	 */
	record Planned(int beforeEpoch, String role, long voxels) {}

	private final double secondsBefore;
	private final int firstEpoch;
	private final long start = System.nanoTime();
	private double predictionSeconds;
	private final Map<String, Double> secondsPerVoxel = new HashMap<>();
	private final List<Planned> planned = new ArrayList<>();

	RunClock(double secondsBefore, int firstEpoch) {
		this.secondsBefore = secondsBefore;
		this.firstEpoch = firstEpoch;
	}

	double elapsedSeconds() {
		return secondsBefore + secondsThisProcess();
	}

	void plan(List<Planned> predictions) {
		planned.addAll(predictions);
	}

	/** Whether a prediction lies ahead of epoch {@code epoch} but no model's prediction speed is known yet. */
	boolean needsPredictionSpeed(int epoch) {
		return secondsPerVoxel.isEmpty() && planned.stream().anyMatch(p -> p.beforeEpoch() >= epoch);
	}

	/** Records a whole-volume prediction of this process: its time leaves the epochs' pace and sets the model's speed. */
	void predicted(String role, double seconds, long voxels) {
		predictionSeconds += seconds;
		if (voxels > 0) secondsPerVoxel.put(role, seconds / voxels);
	}

	/** Seconds left after {@code epoch} (0-based) of {@code epochs}; NaN where a prediction ahead has no speed to go by. */
	double secondsLeft(int epoch, int epochs) {
		double pace = Math.max(0, secondsThisProcess() - predictionSeconds) / (epoch - firstEpoch + 1);
		double left = pace * (epochs - epoch - 1);
		for (Planned p : planned)
			if (p.beforeEpoch() > epoch) left += p.voxels() * speed(p.role());
		return left;
	}

	/** Seconds per voxel of {@code role}'s model; another model's where it has not predicted yet. */
	private double speed(String role) {
		Double s = secondsPerVoxel.get(role);
		if (s == null) s = secondsPerVoxel.values().stream().findFirst().orElse(Double.NaN);
		return s;
	}

	private double secondsThisProcess() {
		return (System.nanoTime() - start) / 1e9;
	}
}
