package org.mnseg.train;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What one method does in each epoch, and the state of its own that a checkpoint must carry (foreground maps,
 * pseudo-labels). The shared loop ({@link TrainingRun}) owns the epochs, checkpoints, logs and validation.
 */
interface MethodTraining {
	/** Trains epoch {@code epoch} (0-based); one report per model trained in it. */
	List<RunListener.EpochReport> epoch(int epoch);

	/** State beyond the networks' weights, by name, for the checkpoint. */
	default Map<String, byte[]> state() {
		return Map.of();
	}

	/** The whole-volume predictions the method makes between epochs, for the time left (those already made included). */
	default List<RunClock.Planned> predictionsAhead() {
		return List.of();
	}

	/**
	 * The evaluated model's validation Dice where the method itself measured it in epoch {@code epoch} (the warm-up
	 * check of {@code --stage-one-gap}); the weights have not changed since, so the run's validation reuses it.
	 */
	default OptionalDouble validationDiceOf(int epoch) {
		return OptionalDouble.empty();
	}

	/** Restores what {@link #state()} saved. */
	default void restore(Map<String, byte[]> state) {}

	/** The training of {@code plan}'s method over the given models (either may be null where the method has none). */
	static MethodTraining of(TrainingPlan plan, EpochTrainer trainer, ModelTrainer net3d, ModelTrainer net2d) {
		return switch (plan.method()) {
			case LABELED_ONLY -> new SupervisedTraining(trainer, net3d);
			case TWO_D_ONLY -> new SupervisedTraining(trainer, net2d);
			case MN, MN_CONTROL -> new CoTraining(plan, trainer, net3d, net2d);
			case FIXED_PSEUDO -> new FixedPseudoTraining(plan, trainer, net3d, net2d);
			case ORACLE -> new FixedPseudoTraining(plan, trainer, net3d, null);
		};
	}
}
