package org.mnseg.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.mnseg.augment.AugmentationConfig;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Sample;
import org.mnseg.inference.SlidingWindow;
import org.mnseg.metrics.CaseResult;
import org.mnseg.metrics.Evaluation;
import org.mnseg.nn.EngineThreads;
import org.mnseg.nn.SliceWise;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.MemoryUsage;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A training run, epoch by epoch, for every method:
 * <ul>
 * <li>{@code labeled-only}: the 3-D model on labeled patches (the paper's baseline);</li>
 * <li>{@code 2d-only}: the 2-D model on the slices of labeled patches;</li>
 * <li>{@code mn}: both on labeled patches for the warm-up epochs (stage 1), then co-training (stage 2): each epoch
 * the 2-D model learns from the 3-D model's soft pseudo-labels, then the 3-D model from the 2-D model's, on the same
 * kind of mixed batches whose unlabeled share follows learning-rate-guided sampling;</li>
 * <li>{@code fixed-pseudo}: the warm-up, then the 2-D model labels the unlabeled volumes once and the 3-D model trains on
 * those fixed masks (the paper's ablation).</li>
 * </ul>
 * Every batch draws its randomness from (seed, stream, epoch, step), and every epoch ends with a checkpoint holding all
 * state (weights, optimiser moments, foreground maps, pseudo-labels), so a resumed run ends exactly where an
 * uninterrupted one would.
 */
public final class TrainingRun {
	/** The methods; the first is the default. */
	public static final List<String> METHODS = List.of("mn", "labeled-only", "2d-only", "fixed-pseudo");

	// random streams
	private static final long LABELED = 1, UNLABELED = 2, SAMPLING = 3, SLICES = 4;

	private final TrainingConfig config;
	private final TrainingData data;
	private final ModelTrainer net3d;
	private final ModelTrainer net2d;
	private final Path runDir;
	private final TrainingListener listener;
	private final BooleanSupplier cancelled;
	private final BatchAssembler batches;
	private final LrgSampling lrg;
	private final TreeSet<Integer> refreshEpochs = new TreeSet<>();

	/** Where the unlabeled volumes' foreground is (the 3-D model's latest prediction), one mask per volume. */
	private List<byte[]> foregroundMaps;
	/** fixed-pseudo: the unlabeled volumes with the 2-D model's masks as labels. */
	private List<Sample> pseudoLabeled;
	/** The epochs the run folder's checkpoint holds; 0 while it holds none (for a true message on cancel). */
	private int checkpointed;

	/** What a finished run measured. */
	public record Outcome(double trainSeconds, double peakRssMb, Map<String, Double> finalLoss) {}

	/**
	 * @param net3d the 3-D model's trainer, or null for 2d-only
	 * @param net2d the 2-D model's trainer, or null for labeled-only
	 */
	public TrainingRun(TrainingConfig config, TrainingData data, ModelTrainer net3d, ModelTrainer net2d, Path runDir, TrainingListener listener,
		BooleanSupplier cancelled) {
		if (!METHODS.contains(config.method))
			throw new UserError("Unknown method '" + config.method + "'. Available: " + String.join(", ", METHODS) + ".");
		this.config = config;
		this.data = data;
		this.net3d = net3d;
		this.net2d = net2d;
		this.runDir = runDir;
		this.listener = listener == null ? TrainingListener.NONE : listener;
		this.cancelled = cancelled == null ? () -> false : cancelled;
		this.batches = new BatchAssembler(augmentation(config), config.seed);
		this.lrg = LrgSampling.parse(config.lrg);
		if (semiSupervised()) {
			refreshEpochs.add(config.stageOne());
			for (String f : config.foregroundRefresh.split(",")) {
				if (f.isBlank()) continue;
				try {
					refreshEpochs.add((int) Math.round(Double.parseDouble(f.trim()) * config.epochs));
				} catch (NumberFormatException e) {
					throw new UserError("--foreground-refresh expects fractions of the epochs like 0.25,0.5, got '" + config.foregroundRefresh + "'.");
				}
			}
		}
	}

	private boolean semiSupervised() {
		return isSemiSupervised(config.method);
	}

	/** Whether a method has a labeled warm-up followed by training on the unlabeled volumes (mn, fixed-pseudo). */
	public static boolean isSemiSupervised(String method) {
		return method.equals("mn") || method.equals("fixed-pseudo");
	}

	/**
	 * Trains to the last epoch, starting from the checkpoint in the run folder when {@code resume} is set.
	 *
	 * @throws CancellationException when cancelled; the last epoch's checkpoint stays for {@code --resume}
	 */
	public Outcome run(boolean resume) {
		EngineThreads.prepare();
		Path ckpt = runDir.resolve(Checkpoint.FILE_NAME);
		TrainingLog log = new TrainingLog(runDir.resolve(TrainingLog.FILE_NAME));
		int startEpoch = 0;
		double elapsedBefore = 0;
		double peakBefore = 0;
		if (resume) {
			if (!Files.exists(ckpt)) throw new UserError("Cannot resume: " + ckpt + " does not exist. Start the run without --resume.");
			Checkpoint.State s = Checkpoint.load(ckpt, trainers());
			startEpoch = s.nextEpoch();
			elapsedBefore = s.elapsedSeconds();
			peakBefore = s.peakRssMb();
			restoreState(s.blobs());
			checkpointed = startEpoch;
			listener.message("Resuming at epoch " + (startEpoch + 1) + " of " + config.epochs);
			log.resume(startEpoch);
		} else if (!config.stageOneFrom.isBlank()) {
			Path source = StageOneReuse.locate(config.stageOneFrom);
			StageOneReuse.checkCompatible(Checkpoint.readConfig(source), config, source);
			Checkpoint.State s = Checkpoint.load(source, trainers());
			if (s.nextEpoch() != config.stageOne())
				throw new IllegalStateException(source + " holds epoch " + s.nextEpoch() + ", not the end of a " + config.stageOne() + "-epoch warm-up");
			startEpoch = s.nextEpoch();
			// the warm-up's time and memory count as this run's, as measured where it was trained
			elapsedBefore = s.elapsedSeconds();
			peakBefore = s.peakRssMb();
			listener.message("Starting co-training at epoch " + (startEpoch + 1) + " from the warm-up in " + source);
			log.adopt(source.resolveSibling(TrainingLog.FILE_NAME), startEpoch);
		}
		long t0 = System.nanoTime();
		Map<String, Double> lastLoss = new LinkedHashMap<>();
		int stageOne = config.stageOne();
		for (int epoch = startEpoch; epoch < config.epochs; epoch++) {
			boolean coTraining = semiSupervised() && epoch >= stageOne;
			if (coTraining) prepareUnlabeled(epoch);
			List<TrainingListener.EpochReport> reports = new ArrayList<>();
			switch (config.method) {
				case "labeled-only":
					reports.add(epoch(net3d, null, epoch, false, t0, elapsedBefore, startEpoch));
					break;
				case "2d-only":
					reports.add(epoch(net2d, null, epoch, false, t0, elapsedBefore, startEpoch));
					break;
				case "mn":
					if (coTraining) {
						// one round: an epoch of the 2-D model taught by the 3-D model, then the reverse
						reports.add(epoch(net2d, net3d, epoch, true, t0, elapsedBefore, startEpoch));
						reports.add(epoch(net3d, net2d, epoch, true, t0, elapsedBefore, startEpoch));
					} else {
						reports.add(epoch(net3d, null, epoch, false, t0, elapsedBefore, startEpoch));
						reports.add(epoch(net2d, null, epoch, false, t0, elapsedBefore, startEpoch));
					}
					break;
				default: // fixed-pseudo
					if (coTraining) {
						reports.add(epoch(net3d, null, epoch, true, t0, elapsedBefore, startEpoch));
					} else {
						reports.add(epoch(net3d, null, epoch, false, t0, elapsedBefore, startEpoch));
						reports.add(epoch(net2d, null, epoch, false, t0, elapsedBefore, startEpoch));
					}
			}
			double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
			for (TrainingListener.EpochReport r : reports) {
				log.add(r);
				lastLoss.put(r.model(), r.loss());
			}
			Checkpoint.State state = new Checkpoint.State(config, epoch + 1, elapsed, Math.max(peakBefore, MemoryUsage.peakRssMb()), saveState());
			if ((epoch + 1) % Math.max(1, config.checkpointEvery) == 0 || epoch == config.epochs - 1) {
				Checkpoint.save(ckpt, state, trainers());
				checkpointed = epoch + 1;
			}
			if (semiSupervised() && epoch + 1 == stageOne && stageOne < config.epochs)
				Checkpoint.save(runDir.resolve(StageOneReuse.FILE_NAME), state, trainers());
			for (TrainingListener.EpochReport r : reports) listener.epochFinished(r);
			if (!data.validation().isEmpty() && ((epoch + 1) % validateEvery() == 0 || epoch == config.epochs - 1)) validate(epoch);
		}
		return new Outcome(elapsedBefore + (System.nanoTime() - t0) / 1e9, Math.max(peakBefore, MemoryUsage.peakRssMb()), lastLoss);
	}

	private int validateEvery() {
		return config.validateEvery > 0 ? config.validateEvery : Math.max(1, config.epochs / 10);
	}

	/** Mean foreground Dice of the evaluated model (the 3-D one when there is one) on the held-out volumes. */
	private void validate(int epoch) {
		ModelTrainer model = net3d != null ? net3d : net2d;
		double sum = 0;
		for (Sample s : data.validation()) {
			CaseResult r = Evaluation.evaluate(s.id(), predict(model, s), s.label(), data.numClasses());
			double dice = 0;
			for (int c = 1; c < data.numClasses(); c++) dice += r.forClass(c).dice();
			sum += dice / (data.numClasses() - 1);
		}
		double dice = sum / data.validation().size();
		AtomicFiles.writeString(runDir.resolve("validation.csv"), validationLog(epoch, dice));
		listener.validated(epoch, dice);
	}

	private final java.util.TreeMap<Integer, Double> validationDice = new java.util.TreeMap<>();

	private String validationLog(int epoch, double dice) {
		if (validationDice.isEmpty() && Files.exists(runDir.resolve("validation.csv"))) {
			try {
				for (String line : Files.readAllLines(runDir.resolve("validation.csv"))) {
					String[] f = line.split(",");
					if (f.length == 2 && !f[0].equals("epoch") && Integer.parseInt(f[0]) < epoch) validationDice.put(Integer.parseInt(f[0]), Double.parseDouble(f[1]));
				}
			} catch (java.io.IOException | NumberFormatException e) {
				// rebuilt from here on
			}
		}
		validationDice.put(epoch, dice);
		StringBuilder b = new StringBuilder("epoch,dice\n");
		validationDice.forEach((e, d) -> b.append(e).append(',').append(String.format(Locale.ROOT, "%.6f", d)).append('\n'));
		return b.toString();
	}

	private List<ModelTrainer> trainers() {
		List<ModelTrainer> t = new ArrayList<>();
		if (net3d != null) t.add(net3d);
		if (net2d != null) t.add(net2d);
		return t;
	}

	/**
	 * One epoch of {@code student}: {@code iterationsPerEpoch} steps. With {@code mixed}, a step's batch holds b_u
	 * unlabeled patches (pseudo-labeled by {@code teacher}, or by the fixed masks) besides b_l labeled ones.
	 */
	private TrainingListener.EpochReport epoch(ModelTrainer student, ModelTrainer teacher, int epoch, boolean mixed, long t0, double elapsedBefore,
		int startEpoch) {
		double lr = student.schedule().lr(epoch);
		long roleKey = student.role().hashCode();
		double sum = 0;
		for (int step = 0; step < config.iterationsPerEpoch; step++) {
			if (cancelled.getAsBoolean()) throw new CancellationException("Training cancelled during epoch " + (epoch + 1) + "; " + (checkpointed > 0
				? "the checkpoint of epoch " + checkpointed + " is kept. Run again with --resume to continue."
				: "no checkpoint was saved yet, so there is nothing to resume: start the run again."));
			int bu = 0;
			if (mixed) {
				SplittableRandom r = StepRandom.of(config.seed, SAMPLING, roleKey, epoch, step);
				List<Sample> pool = unlabeledPool();
				bu = lrg.unlabeledCount(config.batchSize, lr, student.schedule().initial(), student.schedule().finalLr(), epoch, config.stageOne(),
					config.epochs, data.labeled().size(), pool.size(), r);
			}
			sum += step(student, teacher, epoch, step, config.batchSize - bu, bu, lr, roleKey);
			listener.stepFinished(epoch, step, config.iterationsPerEpoch);
		}
		double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
		double perEpoch = (System.nanoTime() - t0) / 1e9 / (epoch - startEpoch + 1);
		return new TrainingListener.EpochReport(student.role(), epoch, config.epochs, sum / config.iterationsPerEpoch, lr, elapsed,
			perEpoch * (config.epochs - epoch - 1), MemoryUsage.rssMb());
	}

	private List<Sample> unlabeledPool() {
		return config.method.equals("fixed-pseudo") ? pseudoLabeled : data.unlabeled();
	}

	private double step(ModelTrainer student, ModelTrainer teacher, int epoch, int step, int bl, int bu, double lr, long roleKey) {
		BatchAssembler.Batch lab = batches.assemble(data.labeled(), bl, LABELED * 31 + roleKey, epoch, step);
		BatchAssembler.Batch unl = batches.assemble(unlabeledPool(), foregroundMaps, bu, UNLABELED * 31 + roleKey, epoch, step);
		try (NDManager m = student.network().manager().newSubManager()) {
			NDList xs = new NDList();
			NDList targets = new NDList();
			if (bl > 0) {
				xs.add(m.create(lab.images(), new Shape(lab.imageShape())));
				targets.add(student.oneHot(m, lab.labels(), lab.imageShape()));
			}
			if (bu > 0) {
				NDArray xu = m.create(unl.images(), new Shape(unl.imageShape()));
				xs.add(xu);
				// soft pseudo-labels from the other model, made for this very (augmented) patch; fixed masks otherwise
				targets.add(teacher != null ? teacher.teach(xu) : student.oneHot(m, unl.labels(), unl.imageShape()));
			}
			NDArray x = xs.size() == 1 ? xs.get(0) : NDArrays.concat(xs, 0);
			NDArray target = targets.size() == 1 ? targets.get(0) : NDArrays.concat(targets, 0);
			if (student.network().spatialDims() == 2 && config.slices2d > 0 && config.slices2d < x.getShape().get(2)) {
				int[] z = chooseSlices((int) x.getShape().get(2), config.slices2d, StepRandom.of(config.seed, SLICES, roleKey, epoch, step));
				x = ModelTrainer.selectSlices(x, z);
				target = ModelTrainer.selectSlices(target, z);
			}
			// dropout and drop-path draw from the engine's generator: seed it per step so a resumed run repeats them
			ai.djl.engine.Engine.getInstance().setRandomSeed((int) StepRandom.of(config.seed, SLICES + 1, roleKey, epoch, step).nextLong());
			return student.step(x, target, bl, lr);
		}
	}

	static int[] chooseSlices(int depth, int count, SplittableRandom rng) {
		int[] all = new int[depth];
		for (int i = 0; i < depth; i++) all[i] = i;
		for (int i = 0; i < count; i++) {
			int j = i + rng.nextInt(depth - i);
			int t = all[i];
			all[i] = all[j];
			all[j] = t;
		}
		int[] z = Arrays.copyOf(all, count);
		Arrays.sort(z);
		return z;
	}

	/** Foreground maps (and, for fixed-pseudo, the pseudo-labels) as the co-training epoch needs them. */
	private void prepareUnlabeled(int epoch) {
		if (config.method.equals("fixed-pseudo") && pseudoLabeled == null) {
			listener.message("Labeling " + data.unlabeled().size() + " unlabeled volumes once with the 2-D model");
			pseudoLabeled = new ArrayList<>();
			for (Sample s : data.unlabeled()) pseudoLabeled.add(new Sample(s.id(), s.image(), predict(net2d, s)));
			foregroundMaps = null; // the fixed masks say where the foreground is
		}
		if (config.method.equals("mn") && (foregroundMaps == null || refreshEpochs.contains(epoch))) {
			listener.message("Predicting the foreground of " + data.unlabeled().size() + " unlabeled volumes with the 3-D model (epoch " + (epoch + 1) + ")");
			List<byte[]> maps = new ArrayList<>();
			for (Sample s : data.unlabeled()) {
				byte[] labels = predict(net3d, s).data();
				byte[] fg = new byte[labels.length];
				for (int i = 0; i < labels.length; i++) fg[i] = labels[i] != 0 ? (byte) 1 : 0;
				maps.add(fg);
			}
			foregroundMaps = maps;
		}
	}

	/**
	 * A whole-volume prediction (validation, foreground maps, fixed pseudo-labels) made as {@code mn segment} makes it:
	 * windows of the training patch size. One large padded window would be cheaper, but instance norm and DeepLab's
	 * image pooling depend on the window's extent and content: fixed pseudo-labels made that way scored 0.3-0.5 Dice
	 * on hippocampus volumes where the same 2-D model scores 0.79 with patch-size windows.
	 */
	private LabelVolume predict(ModelTrainer model, Sample s) {
		try (NDManager m = model.network().manager().newSubManager()) {
			SlidingWindow w = SlidingWindow.builder(config.patch).overlap(config.overlap).blending(SlidingWindow.Blending.parse(config.blend))
				.batchSize(config.windowBatch).build();
			return w.segment(s.image(), x -> SliceWise.forward(model.network(), x, false), m, false).labels();
		}
	}

	private Map<String, byte[]> saveState() {
		Map<String, byte[]> blobs = new LinkedHashMap<>();
		if (foregroundMaps != null)
			for (int i = 0; i < foregroundMaps.size(); i++) blobs.put(String.format(Locale.ROOT, "foreground/%05d", i), foregroundMaps.get(i));
		if (pseudoLabeled != null)
			for (int i = 0; i < pseudoLabeled.size(); i++) blobs.put(String.format(Locale.ROOT, "pseudo/%05d", i), pseudoLabeled.get(i).label().data());
		return blobs;
	}

	private void restoreState(Map<String, byte[]> blobs) {
		List<byte[]> fg = new ArrayList<>();
		List<Sample> pseudo = new ArrayList<>();
		for (int i = 0; i < data.unlabeled().size(); i++) {
			byte[] f = blobs.get(String.format(Locale.ROOT, "foreground/%05d", i));
			if (f != null) fg.add(f);
			byte[] p = blobs.get(String.format(Locale.ROOT, "pseudo/%05d", i));
			if (p != null) {
				Sample s = data.unlabeled().get(i);
				pseudo.add(new Sample(s.id(), s.image(), LabelVolume.wrap(p, s.image().shape(), s.image().geometry())));
			}
		}
		foregroundMaps = fg.isEmpty() ? null : fg;
		pseudoLabeled = pseudo.isEmpty() ? null : pseudo;
	}

	/** The augmentation settings of a training configuration. */
	public static AugmentationConfig augmentation(TrainingConfig c) {
		return AugmentationConfig.builder(c.patch).foregroundProbability(c.foregroundProbability).zoom(c.zoomMin, c.zoomMax).zoom(c.zoom)
			.gamma(c.gammaMin, c.gammaMax).gamma(c.gamma).build();
	}
}
