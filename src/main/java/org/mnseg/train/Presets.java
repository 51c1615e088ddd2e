package org.mnseg.train;

import java.util.List;

import org.mnseg.util.UserError;

/**
 * Named training settings. {@code paper} is the M&N paper's (and reference code's) setting for a GPU;
 * {@code cpu} is sized for a 2-core machine: a smaller UNet, small batches, and a patch fitted to the data set's
 * volumes, so that a run takes minutes instead of days.
 */
public final class Presets {
	private Presets() {}

	public static final List<String> NAMES = List.of("paper", "cpu");

	/** Fails with the list of presets unless {@code name} is one. */
	public static void require(String name) {
		if (!NAMES.contains(name)) throw new UserError("Unknown preset '" + name + "'. Choose one of: " + String.join(", ", NAMES) + ".");
	}

	/**
	 * Fills {@code c} with the preset's values.
	 *
	 * @param medianShape median {x, y, z} of the training volumes, used by {@code cpu} to size the patch
	 */
	public static void apply(String name, TrainingSettings c, int[] medianShape) {
		switch (name) {
			case "paper":
				c.levels = 5;
				c.baseFilters = 32;
				c.patch = new int[] { 160, 160, 64 };
				c.batchSize = 5;
				c.epochs = 4000;
				c.iterationsPerEpoch = 8;
				c.lr3d = 1e-4;
				c.lr2d = 1e-3;
				c.warmupEpochs = 50;
				// 500 of 4000 epochs, and the same share if the epochs are changed
				c.stageOneEpochs = -1;
				c.stageOneFraction = 0.125;
				c.slices2d = 0;
				c.lrgRounding = "batch";
				break;
			case "cpu":
				c.levels = 4;
				c.baseFilters = 16;
				c.patch = fitPatch(medianShape, new int[] { 64, 64, 48 }, 1 << (c.levels - 1));
				c.batchSize = 2;
				// about a quarter of an hour on 2 cores for either size of patch
				c.epochs = (long) c.patch[0] * c.patch[1] * c.patch[2] > 100_000 ? 120 : 200;
				c.iterationsPerEpoch = 8;
				// ~800 steps instead of the paper's 32,000: a larger rate than the paper's 1e-4 is needed to converge
				c.lr3d = 1e-3;
				c.lr2d = 1e-3;
				c.warmupEpochs = 5;
				c.stageOneEpochs = -1;
				// a short run needs a longer labeled warm-up than the paper's eighth before the 2-D model's pseudo-labels
				// help (chosen on held-out training volumes: results/validation.md)
				c.stageOneFraction = 0.5;
				// the 2-D model learns from 16 random slices of each batch instead of all of them
				c.slices2d = 16;
				// with B = 2 the paper's per-batch floor admits no unlabeled patch until the share reaches 1/2, a quarter of
				// the epochs from the end; counting the share per epoch gives every co-training epoch its unlabeled patches
				c.lrgRounding = "epoch";
				break;
			default:
				throw new UserError("Unknown preset '" + name + "'. Choose one of: " + String.join(", ", NAMES) + ".");
		}
	}

	/**
	 * The largest patch that fits the typical volume, no larger than {@code cap}, each side a multiple of
	 * {@code multiple} (the UNet halves it levels-1 times) and at least one multiple.
	 */
	static int[] fitPatch(int[] medianShape, int[] cap, int multiple) {
		int[] p = new int[3];
		for (int a = 0; a < 3; a++) {
			int limit = Math.min(cap[a], medianShape == null ? cap[a] : medianShape[a]);
			p[a] = Math.max(multiple, (limit / multiple) * multiple);
		}
		return p;
	}
}
