package org.mnseg.inference;

import java.util.Arrays;

import org.mnseg.inference.SlidingWindow.Blending;
import org.mnseg.util.UserError;

/**
 * How a volume is cut into windows for prediction: the window size {x, y, z} (the training patch), the fraction of a
 * window shared with its neighbour, how overlapping windows are blended, and how many windows go through the network
 * at once. One record for the training plan (predictions during training) and the model bundle (what segmenting uses
 * by default), so that both predict alike. Immutable; checked on construction.
 */
public record WindowSettings(int[] patch, double overlap, Blending blending, int batch) {
	public static final double DEFAULT_OVERLAP = 0.5;
	public static final Blending DEFAULT_BLENDING = Blending.UNIFORM;
	public static final int DEFAULT_BATCH = 8;

	public WindowSettings {
		if (patch == null || patch.length != 3)
			throw new UserError("window (patch) size needs 3 values (x, y, z), got " + Arrays.toString(patch));
		for (int p : patch)
			if (p < 1) throw new UserError("window (patch) size " + Arrays.toString(patch) + " has a side below 1 voxel: give positive sizes");
		if (!(overlap >= 0 && overlap < 1)) throw new UserError("window overlap must lie in [0, 1), got " + overlap);
		if (blending == null) throw new UserError("blending must be UNIFORM or GAUSSIAN");
		if (batch < 1) throw new UserError("window batch size must be at least 1, got " + batch);
		patch = patch.clone();
	}

	/** Windows of the given size {x, y, z} with the default overlap (0.5), uniform blending and 8 windows per batch. */
	public static WindowSettings of(int... patch) {
		return new WindowSettings(patch, DEFAULT_OVERLAP, DEFAULT_BLENDING, DEFAULT_BATCH);
	}

	@Override
	public int[] patch() {
		return patch.clone();
	}

	public WindowSettings withOverlap(double overlap) {
		return new WindowSettings(patch, overlap, blending, batch);
	}

	public WindowSettings withBlending(Blending blending) {
		return new WindowSettings(patch, overlap, blending, batch);
	}

	public WindowSettings withBatch(int batch) {
		return new WindowSettings(patch, overlap, blending, batch);
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof WindowSettings w && Arrays.equals(patch, w.patch) && overlap == w.overlap && blending == w.blending && batch == w.batch;
	}

	@Override
	public int hashCode() {
		return 31 * (31 * (31 * Arrays.hashCode(patch) + Double.hashCode(overlap)) + blending.hashCode()) + batch;
	}

	@Override
	public String toString() {
		return "WindowSettings[patch=" + Arrays.toString(patch) + ", overlap=" + overlap + ", blending=" + blending + ", batch=" + batch + "]";
	}
}
