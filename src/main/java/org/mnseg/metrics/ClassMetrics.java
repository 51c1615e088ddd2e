package org.mnseg.metrics;

import java.util.List;

import com.google.gson.JsonObject;

/**
 * The metrics of one foreground class in one case: overlap (Dice, Jaccard, fractions in [0, 1]) and surface
 * distances (HD95, ASD, ASSD), each in voxels and in millimetres. {@link #empty()} says whether a mask was empty,
 * in which case the distances follow {@link SegmentationMetrics#EMPTY_POLICY}.
 */
public final class ClassMetrics {
	/** JSON keys of the metric values, in the order of {@link #values()}. */
	public static final List<String> KEYS = List.of("dice", "jaccard", "hd95_vox", "asd_vox", "assd_vox", "hd95_mm", "asd_mm", "assd_mm");
	/** JSON key of the {@link EmptySide} flag in a case's class entry. */
	public static final String EMPTY_KEY = "empty";

	private final double dice, jaccard;
	private final double hd95Vox, asdVox, assdVox;
	private final double hd95Mm, asdMm, assdMm;
	private final EmptySide empty;

	ClassMetrics(double dice, double jaccard, double hd95Vox, double asdVox, double assdVox, double hd95Mm, double asdMm,
		double assdMm, EmptySide empty) {
		this.dice = dice;
		this.jaccard = jaccard;
		this.hd95Vox = hd95Vox;
		this.asdVox = asdVox;
		this.assdVox = assdVox;
		this.hd95Mm = hd95Mm;
		this.asdMm = asdMm;
		this.assdMm = assdMm;
		this.empty = empty;
	}

	public double dice() {
		return dice;
	}

	public double jaccard() {
		return jaccard;
	}

	public double hd95Voxels() {
		return hd95Vox;
	}

	public double asdVoxels() {
		return asdVox;
	}

	public double assdVoxels() {
		return assdVox;
	}

	public double hd95Mm() {
		return hd95Mm;
	}

	public double asdMm() {
		return asdMm;
	}

	public double assdMm() {
		return assdMm;
	}

	public EmptySide empty() {
		return empty;
	}

	/** The metric values in the order of {@link #KEYS}. */
	public double[] values() {
		return new double[] { dice, jaccard, hd95Vox, asdVox, assdVox, hd95Mm, asdMm, assdMm };
	}

	/** The metric values under {@link #KEYS} plus the {@code "empty"} flag. */
	public JsonObject toJson() {
		JsonObject o = new JsonObject();
		double[] v = values();
		for (int i = 0; i < v.length; i++) o.addProperty(KEYS.get(i), v[i]);
		o.addProperty(EMPTY_KEY, empty.jsonName());
		return o;
	}

	@Override
	public String toString() {
		return toJson().toString();
	}
}
