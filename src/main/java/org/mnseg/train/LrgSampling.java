package org.mnseg.train;

import java.util.Locale;
import java.util.SplittableRandom;

import org.mnseg.util.UserError;

/**
 * How many of a co-training batch's B patches come from unlabeled volumes (b_u; the rest, b_l = B - b_u, are
 * labeled). Learning-rate-guided sampling grows the unlabeled share as the learning rate decays, so the models lean
 * on each other's pseudo-labels only once they have become reliable.
 */
public enum LrgSampling {
	/** The paper: b_u = floor((lr_initial - lr_current) / (lr_initial - lr_final) * B). */
	LR,
	/** The reference code: b_u = floor((epoch - E1) / (E - E1) * B), linear in the epoch. */
	LINEAR,
	/** Ablation: every patch drawn from the pooled volumes, so the unlabeled share follows the pool sizes. */
	UNIFORM;

	public static LrgSampling parse(String name) {
		try {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException e) {
			throw new UserError("Unknown sampling '" + name + "'. Choose lr (the paper), linear (the reference code) or uniform.");
		}
	}

	/**
	 * @param batch B
	 * @param lr the learning rate of this epoch; {@code lrInitial} and {@code lrFinal} those of the co-training stage
	 * @param epoch this epoch; co-training runs from {@code stageOne} to {@code epochs}
	 * @param labeledPool and {@code unlabeledPool}: numbers of volumes, for {@link #UNIFORM}
	 * @param rng draws of {@link #UNIFORM}
	 */
	public int unlabeledCount(int batch, double lr, double lrInitial, double lrFinal, int epoch, int stageOne, int epochs, int labeledPool,
		int unlabeledPool, SplittableRandom rng) {
		if (unlabeledPool == 0) return 0;
		switch (this) {
			case LR:
				return clamp((int) Math.floor((lrInitial - lr) / (lrInitial - lrFinal) * batch + 1e-9), batch);
			case LINEAR:
				return clamp((int) Math.floor((double) (epoch - stageOne) / (epochs - stageOne) * batch + 1e-9), batch);
			default:
				double share = (double) unlabeledPool / (labeledPool + unlabeledPool);
				int n = 0;
				for (int i = 0; i < batch; i++) if (rng.nextDouble() < share) n++;
				return n;
		}
	}

	private static int clamp(int v, int batch) {
		return Math.max(0, Math.min(batch, v));
	}
}
