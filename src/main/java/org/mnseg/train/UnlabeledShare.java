package org.mnseg.train;

/**
 * Learning-rate-guided sampling as a plan sets it up: how many unlabeled patches each step of a co-training epoch
 * takes, from the student's learning rate (or the epoch), the pool sizes and the plan's rounding.
 */
final class UnlabeledShare {
	private final LrgSampling sampling;
	private final LrgSampling.Rounding rounding;
	private final int epochs, batch, steps;

	UnlabeledShare(TrainingPlan plan, LrgSampling sampling) {
		TrainingSettings s = plan.settings();
		this.sampling = sampling;
		this.rounding = LrgSampling.Rounding.parse(s.lrgRounding);
		this.epochs = s.epochs;
		this.batch = s.batchSize;
		this.steps = s.iterationsPerEpoch;
	}

	/** No unlabeled patch in any batch (M&N's control). */
	boolean none() {
		return sampling == LrgSampling.NONE;
	}

	/** b_u for each step of {@code student}'s epoch, drawing from a pool of {@code unlabeledPool} volumes. */
	int[] perStep(EpochTrainer trainer, ModelTrainer student, int epoch, int unlabeledPool) {
		LrSchedule schedule = student.schedule();
		// the schedule knows where stage 2 started, also when the warm-up ended early (--stage-one-gap)
		LrgSampling.Stage stage = new LrgSampling.Stage(schedule.stageOneEpochs(), epochs, schedule.initial(), schedule.finalLr());
		double share = sampling.share(schedule.lr(epoch), epoch, stage, trainer.data().labeled().size(), unlabeledPool);
		return sampling.unlabeledPerStep(share, batch, steps, rounding, step -> trainer.samplingRandom(student, epoch, step));
	}
}
