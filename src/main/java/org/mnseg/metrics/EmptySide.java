package org.mnseg.metrics;

/**
 * Which of the two masks compared for one class had no voxel; surface distances are undefined unless it is
 * {@link #NONE}, and {@link SegmentationMetrics} then applies its documented empty-mask policy.
 */
public enum EmptySide {
	/** Both masks have foreground: all metrics are measured. */
	NONE("none"),
	/** The prediction misses the class although the truth has it. */
	PREDICTION("prediction"),
	/** The prediction has the class although the truth does not. */
	TRUTH("truth"),
	/** Neither has the class: a correct "absent". */
	BOTH("both");

	private final String jsonName;

	EmptySide(String jsonName) {
		this.jsonName = jsonName;
	}

	/** The value written in the JSON output's {@code "empty"} field. */
	public String jsonName() {
		return jsonName;
	}

	static EmptySide of(boolean predictionEmpty, boolean truthEmpty) {
		if (predictionEmpty) return truthEmpty ? BOTH : PREDICTION;
		return truthEmpty ? TRUTH : NONE;
	}
}
