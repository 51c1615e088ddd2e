package org.mnseg.suggest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.mnseg.util.UserError;

/** What a suggestion ranks by; every measure is a per-voxel value in [0, 1] ({@link VoxelScores}). */
public enum Measure {
	/** Where the 3-D model and its 2-D partner predict different classes (needs both networks). */
	DISAGREEMENT,
	/** Where the 3-D model is unsure (the normalised entropy of its softmax). */
	UNCERTAINTY,
	/** The mean of the two. */
	BOTH;

	/** The name on the command line, in the Fiji dialog and in file names. */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	public boolean needsPartner() {
		return this != UNCERTAINTY;
	}

	public static List<String> keys() {
		return Arrays.stream(values()).map(Measure::key).toList();
	}

	public static Measure parse(String text) {
		for (Measure m : values())
			if (m.key().equals(text == null ? "" : text.trim().toLowerCase(Locale.ROOT))) return m;
		throw new UserError("Unknown measure '" + text + "'. Choose one of: " + String.join(", ", keys()) + ".");
	}
}
