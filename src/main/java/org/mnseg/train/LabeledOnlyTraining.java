package org.mnseg.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.mnseg.augment.AugmentationConfig;
import org.mnseg.util.MemoryUsage;
import org.mnseg.util.UserError;

/**
 * Supervised training of one network on labeled patches: the paper's "3D UNet trained on the labeled volumes only"
 * baseline, and M&N's labeled warm-up. Epoch by epoch: {@code iterationsPerEpoch} steps of {@code batchSize}
 * patches, the learning rate from the schedule, a log row and a checkpoint.
 */
public final class LabeledOnlyTraining {
	/** Stream id of labeled 3-D batches in {@link StepRandom}. */
	static final long LABELED_3D = 1;

	private final TrainingConfig config;
	private final TrainingData data;
	private final ModelTrainer trainer;
	private final Path runDir;
	private final TrainingListener listener;
	private final BooleanSupplier cancelled;

	public LabeledOnlyTraining(TrainingConfig config, TrainingData data, ModelTrainer trainer, Path runDir, TrainingListener listener,
		BooleanSupplier cancelled) {
		this.config = config;
		this.data = data;
		this.trainer = trainer;
		this.runDir = runDir;
		this.listener = listener == null ? TrainingListener.NONE : listener;
		this.cancelled = cancelled == null ? () -> false : cancelled;
	}

	/** What a finished run measured. */
	public record Outcome(double trainSeconds, double peakRssMb, double finalLoss) {}

	/**
	 * Trains to the last epoch, starting from the checkpoint in the run folder when {@code resume} is set.
	 *
	 * @throws CancellationException when cancelled; the last epoch's checkpoint stays for {@code --resume}
	 */
	public Outcome run(boolean resume) {
		Path ckpt = runDir.resolve(Checkpoint.FILE_NAME);
		TrainingLog log = new TrainingLog(runDir.resolve("log.csv"));
		int startEpoch = 0;
		double elapsedBefore = 0;
		double peakBefore = 0;
		if (resume) {
			if (!Files.exists(ckpt)) throw new UserError("Cannot resume: " + ckpt + " does not exist. Start the run without --resume.");
			Checkpoint.State s = Checkpoint.load(ckpt, List.of(trainer));
			startEpoch = s.nextEpoch();
			elapsedBefore = s.elapsedSeconds();
			peakBefore = s.peakRssMb();
			listener.message("Resuming at epoch " + (startEpoch + 1) + " of " + config.epochs);
		}
		log.resume(startEpoch);
		BatchAssembler batches = new BatchAssembler(augmentation(config), config.seed);
		long t0 = System.nanoTime();
		double lastLoss = Double.NaN;
		for (int epoch = startEpoch; epoch < config.epochs; epoch++) {
			double lr = trainer.schedule().lr(epoch);
			double sum = 0;
			for (int step = 0; step < config.iterationsPerEpoch; step++) {
				if (cancelled.getAsBoolean()) throw new CancellationException("Training cancelled during epoch " + (epoch + 1)
					+ "; the checkpoint of epoch " + epoch + " is kept. Run again with --resume to continue.");
				BatchAssembler.Batch b = batches.assemble(data.labeled(), config.batchSize, LABELED_3D, epoch, step);
				sum += trainer.stepOnLabels(b.images(), b.imageShape(), b.labels(), lr);
				listener.stepFinished(epoch, step, config.iterationsPerEpoch);
			}
			lastLoss = sum / config.iterationsPerEpoch;
			double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
			double perEpoch = (System.nanoTime() - t0) / 1e9 / (epoch - startEpoch + 1);
			TrainingListener.EpochReport r = new TrainingListener.EpochReport(trainer.role(), epoch, config.epochs, lastLoss, lr, elapsed,
				perEpoch * (config.epochs - epoch - 1), MemoryUsage.rssMb());
			log.add(r);
			if ((epoch + 1) % Math.max(1, config.checkpointEvery) == 0 || epoch == config.epochs - 1)
				Checkpoint.save(ckpt, new Checkpoint.State(config, epoch + 1, elapsed, Math.max(peakBefore, MemoryUsage.peakRssMb()), null),
					List.of(trainer));
			listener.epochFinished(r);
		}
		return new Outcome(elapsedBefore + (System.nanoTime() - t0) / 1e9, Math.max(peakBefore, MemoryUsage.peakRssMb()), lastLoss);
	}

	/** The augmentation settings of a training configuration. */
	public static AugmentationConfig augmentation(TrainingConfig c) {
		return AugmentationConfig.builder(c.patch).foregroundProbability(c.foregroundProbability).zoom(c.zoomMin, c.zoomMax).zoom(c.zoom)
			.gamma(c.gammaMin, c.gammaMax).gamma(c.gamma).build();
	}
}
