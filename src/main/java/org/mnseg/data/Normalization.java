package org.mnseg.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.mnseg.util.UserError;

/** How image intensities are brought to a common range before training and inference. */
public enum Normalization {
	/** Z-score per volume and per channel: MRI intensities have no absolute scale. */
	MRI("z-score per volume and channel") {
		@Override
		void normalise(float[] in, float[] out, int from, int to) {
			int n = to - from;
			double sum = 0;
			for (int i = from; i < to; i++) sum += in[i];
			double mean = sum / n;
			// two passes: the one-pass formula loses precision when the mean is large against the spread
			double squares = 0;
			for (int i = from; i < to; i++) squares += (in[i] - mean) * (in[i] - mean);
			double std = Math.sqrt(squares / n);
			// a constant channel has no contrast to scale: it becomes all zeros rather than NaN
			double scale = std > 1e-12 ? 1 / std : 1;
			for (int i = from; i < to; i++) out[i] = (float) ((in[i] - mean) * scale);
		}
	},
	/** Hounsfield units clipped to the soft-tissue window [-175, 250], then scaled to [0, 1]. */
	CT("clip to [" + (int) Normalization.CT_MIN_HU + ", " + (int) Normalization.CT_MAX_HU + "] HU, scale to [0, 1]") {
		@Override
		void normalise(float[] in, float[] out, int from, int to) {
			double range = CT_MAX_HU - CT_MIN_HU;
			for (int i = from; i < to; i++) out[i] = (float) ((Math.min(CT_MAX_HU, Math.max(CT_MIN_HU, in[i])) - CT_MIN_HU) / range);
		}
	},
	/** Intensities as stored (for data already normalised, such as la2x). */
	NONE("intensities as stored") {
		@Override
		void normalise(float[] in, float[] out, int from, int to) {
			System.arraycopy(in, from, out, from, to - from);
		}
	};

	public static final double CT_MIN_HU = -175, CT_MAX_HU = 250;

	private final String description;

	Normalization(String description) {
		this.description = description;
	}

	public String description() {
		return description;
	}

	/** One channel's values {@code in[from..to)} normalised into {@code out[from..to)}. */
	abstract void normalise(float[] in, float[] out, int from, int to);

	/** A new volume (same shape and geometry) with each channel normalised; the input is left unchanged. */
	public Volume apply(Volume image) {
		float[] in = image.data();
		float[] out = new float[in.length];
		int perChannel = (int) image.voxelsPerChannel();
		for (int c = 0; c < image.channels(); c++) normalise(in, out, c * perChannel, (c + 1) * perChannel);
		int[] s = image.shape();
		long[] dims = image.channels() == 1 ? new long[] { s[0], s[1], s[2] } : new long[] { s[0], s[1], s[2], image.channels() };
		return Volume.wrap(out, dims, image.geometry());
	}

	/** Parses a user's choice, case-insensitively: {@code mri}, {@code ct} or {@code none}. */
	public static Normalization parse(String text) {
		String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
		for (Normalization n : values())
			if (n.name().equals(t)) return n;
		throw new UserError("Unknown normalization '" + text + "'. Choose one of: "
			+ Arrays.stream(values()).map(n -> n.name().toLowerCase(Locale.ROOT) + " (" + n.description + ")").collect(Collectors.joining(", ")) + ".");
	}
}
