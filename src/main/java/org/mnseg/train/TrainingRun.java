package org.mnseg.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.mnseg.data.Sample;
import org.mnseg.nn.EngineThreads;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.MemoryUsage;
import org.mnseg.util.ResidentMemorySampler;
import org.mnseg.util.UserError;

/**
 * The loop every method shares: epochs from the start (or the checkpoint) to the end, each ended by a checkpoint that
 * holds all state (weights, optimiser moments, the method's own state), so that a resumed run ends exactly where an
 * uninterrupted one would; the log, the stage-one checkpoint for {@code --stage-one-from}, and validation. What an
 * epoch trains is the method's ({@link MethodTraining}).
 */
public final class TrainingRun {
	/** How often the log's per-epoch peak memory is sampled: often enough for a refresh or a teacher's batch. */
	private static final long MEMORY_SAMPLE_MILLIS = 100;
	private final TrainingPlan plan;
	private final TrainingSettings settings;
	private final TrainingData data;
	private final ModelTrainer net3d;
	private final ModelTrainer net2d;
	private final Path runDir;
	private final RunListener listener;
	private final EpochTrainer trainer;
	private final MethodTraining method;
	private int evaluationCases;
	private double lastValidationDice = Double.NaN;

	/** What a finished run measured; {@code validationDice}: after the last epoch (NaN without validation volumes). */
	public record Outcome(double trainSeconds, double peakRssMb, Map<String, Double> finalLoss, double validationDice, int stageOneEpochs) {}

	/**
	 * @param net3d the 3-D model's trainer, or null for 2d-only
	 * @param net2d the 2-D model's trainer, or null for labeled-only
	 */
	public TrainingRun(TrainingPlan plan, TrainingData data, ModelTrainer net3d, ModelTrainer net2d, Path runDir, RunListener listener,
		BooleanSupplier cancelled) {
		this.plan = plan;
		this.settings = plan.settings();
		this.data = data;
		this.net3d = net3d;
		this.net2d = net2d;
		this.runDir = runDir;
		this.listener = listener == null ? RunListener.NONE : listener;
		this.trainer = new EpochTrainer(settings, data, this.listener, cancelled == null ? () -> false : cancelled);
		this.method = MethodTraining.of(plan, trainer, net3d, net2d);
	}

	/**
	 * Counts an evaluation of {@code cases} volumes after the run (the caller's, e.g. the test split's) into the time
	 * left. Returns this run.
	 */
	public TrainingRun evaluatedAfterwards(int cases) {
		this.evaluationCases = cases;
		return this;
	}

	/**
	 * Trains to the last epoch, starting from the checkpoint in the run folder when {@code resume} is set.
	 *
	 * @throws CancellationException when cancelled; the last epoch's checkpoint stays for {@code --resume}
	 */
	public Outcome run(boolean resume) {
		EngineThreads.prepare();
		Path ckpt = runDir.resolve(Checkpoint.FILE_NAME);
		TrainingLog log = new TrainingLog(runDir);
		Checkpoint.State from = null;
		if (resume) {
			if (!Files.exists(ckpt)) throw new UserError("Cannot resume: " + ckpt + " does not exist. Start the run without --resume.");
			from = Checkpoint.load(ckpt, trainers());
			listener.message(from.nextEpoch() < settings.epochs ? "Resuming at epoch " + (from.nextEpoch() + 1) + " of " + settings.epochs
				: "All " + settings.epochs + " epochs were trained before the run stopped; writing its results");
			log.resume(from.nextEpoch());
			method.restore(from.blobs());
			restoreStageOne(ckpt, from.nextEpoch());
		} else if (!settings.stageOneFrom.isBlank()) {
			Path source = StageOneReuse.locate(settings.stageOneFrom);
			StageOneReuse.checkCompatible(Checkpoint.readPlan(source), plan, source);
			from = Checkpoint.load(source, trainers());
			method.restore(from.blobs());
			if (from.nextEpoch() != stageOneEnd())
				throw new IllegalStateException(source + " holds epoch " + from.nextEpoch() + ", not the end of a " + stageOneEnd() + "-epoch warm-up");
			// the warm-up's time and memory count as this run's, as measured where it was trained
			listener.message("Starting co-training at epoch " + (from.nextEpoch() + 1) + " from the warm-up in " + source);
			log.adopt(source.resolveSibling(TrainingLog.FILE_NAME), from.nextEpoch());
		}
		// reading a checkpoint is a burst like reading the volumes, and G1 keeps the heap it grew for it: resuming
		// hippocampus-8 M&N, the heap stayed at 436-464 MB without this, 200 MB with it (peak RSS 1549-1668 against 1370-1396 MB)
		if (from != null) MemoryUsage.shrinkHeapAfterBurst();
		int startEpoch = from == null ? 0 : from.nextEpoch();
		double peakBefore = from == null ? 0 : from.peakRssMb();
		RunClock clock = new RunClock(from == null ? 0 : from.elapsedSeconds(), startEpoch);
		Map<String, Double> lastLoss = new LinkedHashMap<>();
		try (ResidentMemorySampler memory = ResidentMemorySampler.start(MEMORY_SAMPLE_MILLIS)) {
			trainer.start(clock, resume, memory);
			planPredictions(clock, startEpoch);
			for (int epoch = startEpoch; epoch < settings.epochs; epoch++) {
				List<RunListener.EpochReport> reports = method.epoch(epoch);
				for (RunListener.EpochReport r : reports) {
					log.add(r);
					lastLoss.put(r.model(), r.loss());
				}
				Checkpoint.State state = new Checkpoint.State(plan, epoch + 1, clock.elapsedSeconds(), Math.max(peakBefore, MemoryUsage.peakRssMb()),
					method.state());
				// the stage-one file before the checkpoint: a run killed between the two repeats this epoch on resume and writes it again
				if (savesStageOne() && epoch + 1 == stageOneEnd()) Checkpoint.save(runDir.resolve(StageOneReuse.FILE_NAME), state, trainers());
				if ((epoch + 1) % Math.max(1, settings.checkpointEvery) == 0 || epoch == settings.epochs - 1) {
					Checkpoint.save(ckpt, state, trainers());
					trainer.checkpointWritten();
				}
				for (RunListener.EpochReport r : reports) listener.epochFinished(r);
				MemoryUsage.releaseDeadDirectBuffers();
				if (!data.validation().isEmpty() && validatesAfter(epoch)) validate(epoch, log);
			}
		}
		return new Outcome(clock.elapsedSeconds(), Math.max(peakBefore, MemoryUsage.peakRssMb()), lastLoss, lastValidationDice, stageOneEnd());
	}

	/**
	 * Tells the clock which whole-volume predictions lie ahead. When none has been timed yet, one prediction of a
	 * labeled volume gives their speed (a refresh predicts every unlabeled volume), so that the first time left
	 * already includes them; the first real prediction then replaces this measure, which may be slower (a cold start).
	 */
	private void planPredictions(RunClock clock, int startEpoch) {
		List<RunClock.Planned> ahead = new ArrayList<>(method.predictionsAhead());
		ModelTrainer evaluated = net3d != null ? net3d : net2d;
		if (!data.validation().isEmpty()) {
			long voxels = EpochTrainer.voxels(data.validation());
			for (int e = 0; e < settings.epochs; e++)
				if (validatesAfter(e)) ahead.add(new RunClock.Planned(e + 1, evaluated.role(), voxels));
		}
		if (evaluationCases > 0)
			ahead.add(new RunClock.Planned(settings.epochs, evaluated.role(), evaluationCases * EpochTrainer.voxels(data.labeled()) / data.labeled().size()));
		clock.plan(ahead);
		if (startEpoch < settings.epochs && clock.needsPredictionSpeed(startEpoch)) {
			// the smallest labeled volume: the speed is per voxel, and on large volumes (full-resolution LA) the probe is not free
			Sample probe = data.labeled().stream().min(java.util.Comparator.comparingLong(c -> c.image().voxelsPerChannel())).orElseThrow();
			long t = System.nanoTime();
			trainer.predict(evaluated, probe);
			clock.predicted(evaluated.role(), (System.nanoTime() - t) / 1e9, probe.image().voxelsPerChannel());
		}
	}

	private boolean validatesAfter(int epoch) {
		return (epoch + 1) % settings.validationInterval() == 0 || epoch == settings.epochs - 1;
	}

	/** Whether this run writes {@link StageOneReuse#FILE_NAME}: it has a warm-up and trains past it. */
	private boolean savesStageOne() {
		return plan.method().hasWarmUp() && stageOneEnd() < settings.epochs;
	}

	/** The epoch stage 2 starts at: the plan's, or earlier where {@code --stage-one-gap} ended the warm-up. */
	private int stageOneEnd() {
		return net3d != null ? net3d.schedule().stageOneEpochs() : plan.stageOneEpochs();
	}

	/**
	 * A run killed while writing its stage-one file, by a version that wrote it after the checkpoint, resumes past
	 * the warm-up and would never write it: where the checkpoint holds exactly the end of the warm-up, it is that file.
	 */
	private void restoreStageOne(Path ckpt, int nextEpoch) {
		Path stageOne = runDir.resolve(StageOneReuse.FILE_NAME);
		if (!savesStageOne() || Files.exists(stageOne) || nextEpoch < stageOneEnd()) return;
		if (nextEpoch == stageOneEnd()) {
			AtomicFiles.write(stageOne, out -> Files.copy(ckpt, out));
			listener.message("Wrote the missing " + StageOneReuse.FILE_NAME + " from the checkpoint at the end of the warm-up");
		} else {
			listener.message(StageOneReuse.FILE_NAME + " is missing and the run is past its warm-up, so --stage-one-from cannot use this run.");
		}
	}

	/** Mean foreground Dice of the evaluated model (the 3-D one when there is one) on the held-out volumes. */
	private void validate(int epoch, TrainingLog log) {
		double dice = method.validationDiceOf(epoch)
			.orElseGet(() -> trainer.validationDice(net3d != null ? net3d : net2d, "Validation after epoch " + (epoch + 1)));
		lastValidationDice = dice;
		log.addValidation(epoch, dice);
		listener.validated(epoch, dice);
	}

	private List<ModelTrainer> trainers() {
		List<ModelTrainer> t = new ArrayList<>();
		if (net3d != null) t.add(net3d);
		if (net2d != null) t.add(net2d);
		return t;
	}
}
