package org.mnseg.train;

import java.util.List;

/** Methods labeled-only and 2d-only: one model on labeled patches, every epoch. */
final class SupervisedTraining implements MethodTraining {
	private final EpochTrainer trainer;
	private final ModelTrainer model;

	SupervisedTraining(EpochTrainer trainer, ModelTrainer model) {
		this.trainer = trainer;
		this.model = model;
	}

	@Override
	public List<RunListener.EpochReport> epoch(int epoch) {
		return List.of(trainer.epoch(model, epoch));
	}
}
