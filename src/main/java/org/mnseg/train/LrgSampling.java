package org.mnseg.train;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import org.mnseg.util.UserError;

/**
 * How many of a co-training batch's B patches come from unlabeled volumes (b_u; the rest, b_l = B - b_u, are
 * labeled). Learning-rate-guided sampling grows the unlabeled share as the learning rate decays, so the models lean
 * on each other's pseudo-labels only once they have become reliable.
 */
public enum LrgSampling {
	/** The paper: share = (lr_initial - lr_current) / (lr_initial - lr_final). */
	LR,
	/** The reference code: share = (epoch - E1) / (E - E1), linear in the epoch. */
	LINEAR,
	/** Ablation: every patch drawn from the pooled volumes, so the unlabeled share follows the pool sizes. */
	UNIFORM,
	/** No unlabeled patch at all (M&N's control). */
	NONE;

	/** The co-training stage the share is measured over: epochs [stageOne, epochs), rates from lrInitial to lrFinal. */
	public record Stage(int stageOne, int epochs, double lrInitial, double lrFinal) {}

	/** How a share becomes whole patches. */
	public enum Rounding {
		/** The paper: b_u = floor(share x B) in every batch (0 until the share reaches 1/B). */
		BATCH,
		/** round(share x B x steps) unlabeled patches per epoch, spread over its steps by carrying the rounding error. */
		EPOCH;

		public static Rounding parse(String name) {
			try {
				return valueOf(name.trim().toUpperCase(Locale.ROOT));
			} catch (IllegalArgumentException | NullPointerException e) {
				throw new UserError("Unknown --lrg-rounding '" + name + "'. Choose batch (the paper's floor per batch) or epoch (the share per epoch).");
			}
		}
	}

	public static LrgSampling parse(String name) {
		try {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException | NullPointerException e) {
			throw new UserError("Unknown --lrg sampling '" + name + "'. Choose lr (the paper), linear (the reference code), uniform or none.");
		}
	}

	/** The unlabeled share of this epoch's patches, in [0, 1]. */
	public double share(double lr, int epoch, Stage stage, int labeledPool, int unlabeledPool) {
		if (unlabeledPool == 0) return 0;
		double share = switch (this) {
			case LR -> (stage.lrInitial() - lr) / (stage.lrInitial() - stage.lrFinal());
			case LINEAR -> (double) (epoch - stage.stageOne()) / (stage.epochs() - stage.stageOne());
			case UNIFORM -> (double) unlabeledPool / (labeledPool + unlabeledPool);
			case NONE -> 0;
		};
		return Math.max(0, Math.min(1, share));
	}

	/**
	 * b_u for each step of an epoch.
	 *
	 * @param stepRandom the random stream of a step, for {@link #UNIFORM}'s draws
	 */
	public int[] unlabeledPerStep(double share, int batch, int steps, Rounding rounding, IntFunction<SplittableRandom> stepRandom) {
		int[] counts = new int[steps];
		for (int step = 0; step < steps; step++) {
			if (this == UNIFORM) {
				SplittableRandom r = stepRandom.apply(step);
				for (int i = 0; i < batch; i++) if (r.nextDouble() < share) counts[step]++;
			} else if (rounding == Rounding.BATCH) {
				counts[step] = (int) Math.floor(share * batch + 1e-9);
			} else {
				// the patches owed up to the end of this step, less those already given
				counts[step] = roundHalfUp((step + 1) * share * batch) - roundHalfUp(step * share * batch);
			}
		}
		return counts;
	}

	private static int roundHalfUp(double v) {
		return (int) Math.floor(v + 0.5 + 1e-9);
	}
}
