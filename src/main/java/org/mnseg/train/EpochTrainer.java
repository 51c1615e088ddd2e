package org.mnseg.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

import org.mnseg.nn.SliceViews;
import org.mnseg.nn.SliceWise;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Sample;
import org.mnseg.inference.Segmenter;
import org.mnseg.inference.SlidingWindow;
import org.mnseg.inference.WindowSettings;
import org.mnseg.metrics.CaseResult;
import org.mnseg.metrics.Evaluation;
import org.mnseg.util.MemoryUsage;
import org.mnseg.util.ResidentMemorySampler;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The mechanics every method shares: an epoch of one model is {@code iterationsPerEpoch} steps on batches of labeled
 * patches, optionally mixed with unlabeled ones; and whole-volume prediction as {@code mn segment} makes it. Every
 * batch draws its randomness from (seed, stream, model, epoch, step), so a resumed run repeats it exactly.
 */
final class EpochTrainer {
	// random streams
	static final long LABELED = 1, UNLABELED = 2, SAMPLING = 3, SLICES = 4;

	private final TrainingSettings settings;
	private final TrainingData data;
	private final BatchAssembler batches;
	private final RunListener listener;
	private final BooleanSupplier cancelled;
	private final WindowSettings window;
	private RunClock clock;
	/** The run's peak-memory sampler, read at each epoch's report. */
	private ResidentMemorySampler memory;
	private boolean checkpointWritten;

	EpochTrainer(TrainingSettings settings, TrainingData data, RunListener listener, BooleanSupplier cancelled) {
		this.settings = settings;
		this.data = data;
		this.batches = new BatchAssembler(augmentation(settings), settings.seed);
		this.window = predictionWindow(settings);
		this.listener = listener;
		this.cancelled = cancelled;
	}

	/**
	 * The windows of predictions during training (foreground maps, validation, fixed pseudo-labels): at most a training
	 * step's batch of them per forward pass, so that predicting never needs more memory than a step. A foreground
	 * refresh in 8-window passes was M&N's peak on hippocampus (925 against 849 MB with 2). The finished bundle keeps
	 * {@code windowBatch} for segmenting; 2 to 8 windows per pass give the same probabilities (SegmenterTest).
	 */
	static WindowSettings predictionWindow(TrainingSettings settings) {
		return new WindowSettings(settings.patch, settings.overlap, SlidingWindow.Blending.parse(settings.blend),
			Math.min(settings.windowBatch, settings.batchSize));
	}

	/** The clock the epoch reports read; {@code checkpointed}: whether the run folder holds a checkpoint to resume from. */
	void start(RunClock clock, boolean checkpointed, ResidentMemorySampler memory) {
		this.clock = clock;
		this.checkpointWritten = checkpointed;
		this.memory = memory;
	}

	void checkpointWritten() {
		checkpointWritten = true;
	}

	int epochs() {
		return settings.epochs;
	}

	TrainingData data() {
		return data;
	}

	RunListener listener() {
		return listener;
	}

	/** An epoch of {@code student} on labeled patches alone. */
	RunListener.EpochReport epoch(ModelTrainer student, int epoch) {
		return epoch(student, epoch, null);
	}

	/**
	 * An epoch of {@code student}; with {@code unlabeled}, step s's batch holds {@code unlabeled.perStep()[s]}
	 * unlabeled patches besides the labeled ones.
	 */
	RunListener.EpochReport epoch(ModelTrainer student, int epoch, UnlabeledBatches unlabeled) {
		double lr = student.schedule().lr(epoch);
		double sum = 0;
		for (int step = 0; step < settings.iterationsPerEpoch; step++) {
			if (cancelled.getAsBoolean()) throw cancellation("during epoch " + (epoch + 1));
			int bu = unlabeled == null ? 0 : unlabeled.perStep()[step];
			double loss = step(student, epoch, step, lr, unlabeled, bu);
			if (!Double.isFinite(loss)) throw nonFiniteLoss(student, epoch, step, loss);
			sum += loss;
			listener.stepFinished(epoch, step, settings.iterationsPerEpoch);
		}
		return new RunListener.EpochReport(student.role(), epoch, settings.epochs, sum / settings.iterationsPerEpoch, lr, clock.elapsedSeconds(),
			clock.secondsLeft(epoch, settings.epochs), MemoryUsage.read(memory));
	}

	/** The run stopped by its user {@code when}; says whether there is a checkpoint to resume. */
	private CancellationException cancellation(String when) {
		return new CancellationException("Training cancelled " + when + "; " + (checkpointWritten
			? "the last checkpoint is kept. Run again with --resume to continue."
			: "no checkpoint was saved yet, so there is nothing to resume: start the run again."));
	}

	/**
	 * Why the run stops at a NaN or infinite loss: the weights are ruined from this step on, so nothing of this epoch
	 * is saved (the checkpoint of the last finished epoch stays as it was) and no bundle is written.
	 */
	private UserError nonFiniteLoss(ModelTrainer student, int epoch, int step, double loss) {
		return new UserError("Training stopped: the loss of the '" + student.role() + "' model became " + loss + " at epoch " + (epoch + 1)
			+ ", step " + (step + 1) + ". No model bundle was written; " + (checkpointWritten
				? "the checkpoint of the last finished epoch is kept. "
				: "no checkpoint had been saved yet. ")
			+ "Lower the learning rate (--lr3d, --lr2d) or check the data, then start a new run.");
	}

	/** The random stream of a step of {@code student}'s epoch, for draws outside the batch (LRG's uniform ablation). */
	SplittableRandom samplingRandom(ModelTrainer student, int epoch, int step) {
		return StepRandom.of(settings.seed, SAMPLING, roleKey(student), epoch, step);
	}

	private static long roleKey(ModelTrainer model) {
		return model.role().hashCode();
	}

	private double step(ModelTrainer student, int epoch, int step, double lr, UnlabeledBatches unlabeled, int bu) {
		long roleKey = roleKey(student);
		int bl = settings.batchSize - bu;
		BatchAssembler.Batch lab = batches.assemble(data.labeled(), bl, LABELED * 31 + roleKey, epoch, step);
		try (NDManager m = student.network().manager().newSubManager()) {
			NDList xs = new NDList();
			NDList targets = new NDList();
			if (bl > 0) {
				xs.add(m.create(lab.images(), new Shape(lab.imageShape())));
				targets.add(student.oneHot(m, lab.labels(), lab.imageShape()));
			}
			if (bu > 0) {
				BatchAssembler.Batch unl = batches.assemble(unlabeled.pool(), unlabeled.foregroundMaps(), bu, UNLABELED * 31 + roleKey, epoch, step);
				NDArray xu = m.create(unl.images(), new Shape(unl.imageShape()));
				xs.add(xu);
				// soft pseudo-labels from the other model, made for this very (augmented) patch; fixed masks otherwise
				targets.add(unlabeled.teacher() != null ? unlabeled.teacher().teach(xu) : student.oneHot(m, unl.labels(), unl.imageShape()));
			}
			NDArray x = xs.size() == 1 ? xs.get(0) : NDArrays.concat(xs, 0);
			NDArray target = targets.size() == 1 ? targets.get(0) : NDArrays.concat(targets, 0);
			// a 2-D network reading several orientations learns from each: the batch once per view, each with its own slices
			List<NDArray> viewXs = new ArrayList<>(), viewTargets = new ArrayList<>();
			for (int v = 0; v < student.views().count(); v++) {
				SliceViews.View view = student.views().view(v);
				NDArray xv = view.of(x), tv = view.of(target);
				if (student.network().spatialDims() == 2 && settings.slices2d > 0 && settings.slices2d < xv.getShape().get(2)) {
					xv = SliceWise.input(student.network(), xv); // 2.5-D: each slice takes its neighbours along before slices are chosen
					int[] z = chooseSlices((int) xv.getShape().get(2), settings.slices2d, sliceRandom(roleKey, epoch, step, v));
					xv = ModelTrainer.selectSlices(xv, z);
					tv = ModelTrainer.selectSlices(tv, z);
				}
				viewXs.add(xv);
				viewTargets.add(tv);
			}
			// dropout and drop-path draw from the engine's generator: seeded per step so a resumed run repeats them
			return student.step(viewXs, viewTargets, bl, lr, (int) StepRandom.of(settings.seed, SLICES + 1, roleKey, epoch, step).nextLong());
		}
	}

	/** The slices a step's view trains on; the axial view keeps the stream runs made before views existed. */
	private SplittableRandom sliceRandom(long roleKey, int epoch, int step, int view) {
		return view == 0 ? StepRandom.of(settings.seed, SLICES, roleKey, epoch, step) : StepRandom.of(settings.seed, SLICES, roleKey, epoch, step, view);
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

	/**
	 * A whole-volume prediction (validation, foreground maps, fixed pseudo-labels) made as {@code mn segment} makes it:
	 * windows of the training patch size. One large padded window would be cheaper, but instance norm and DeepLab's
	 * image pooling depend on the window's extent and content: fixed pseudo-labels made that way scored 0.3-0.5 Dice
	 * on hippocampus volumes where the same 2-D model scores 0.79 with patch-size windows.
	 */
	LabelVolume predict(ModelTrainer model, Sample s) {
		return Segmenter.of(model.network(), window, s.image().channels(), model.views(), model.passSlices()).segment(s.image()).labels();
	}

	/** Mean foreground Dice of {@code model} on the held-out validation volumes, reported as the phase {@code phase}. */
	double validationDice(ModelTrainer model, String phase) {
		List<Double> dice = predictAll(model, data.validation(), phase, false, (s, prediction) -> {
			CaseResult r = Evaluation.evaluate(s.id(), prediction, s.label(), data.numClasses());
			double sum = 0;
			for (int c = 1; c < data.numClasses(); c++) sum += r.forClass(c).dice();
			return sum / (data.numClasses() - 1);
		});
		return dice.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
	}

	/**
	 * Whole-volume predictions of every volume in {@code samples}, reported as the phase {@code phase} and timed for
	 * the time left; {@code cancellable}: Cancel stops it between volumes (a refresh is made again on resume; a
	 * validation after a saved checkpoint would not be, so it finishes). Of each prediction only what {@code keep}
	 * makes of it stays (a score, a foreground mask), so that 150 whole-volume label maps are never held at once.
	 */
	<T> List<T> predictAll(ModelTrainer model, List<Sample> samples, String phase, boolean cancellable, BiFunction<Sample, LabelVolume, T> keep) {
		List<T> out = new ArrayList<>();
		long start = System.nanoTime();
		listener.phase(phase, 0, samples.size());
		for (Sample s : samples) {
			// a whole volume takes minutes on a slow computer: Cancel is heard between volumes too, not only between steps
			if (cancellable && cancelled.getAsBoolean()) throw cancellation("while " + Character.toLowerCase(phase.charAt(0)) + phase.substring(1));
			out.add(keep.apply(s, predict(model, s)));
			listener.phase(phase, out.size(), samples.size());
		}
		clock.predicted(model.role(), (System.nanoTime() - start) / 1e9, voxels(samples));
		return out;
	}

	/** Voxels of {@code samples} in all (per channel): the work of predicting them. */
	static long voxels(List<Sample> samples) {
		long n = 0;
		for (Sample s : samples) n += s.image().voxelsPerChannel();
		return n;
	}

	RunClock clock() {
		return clock;
	}

	/** The augmentation settings of a training configuration. */
	static org.mnseg.augment.AugmentationConfig augmentation(TrainingSettings c) {
		return org.mnseg.augment.AugmentationConfig.builder(c.patch).foregroundProbability(c.foregroundProbability).zoom(c.zoomMin, c.zoomMax)
			.zoom(c.zoom).gamma(c.gammaMin, c.gammaMax).gamma(c.gamma).build();
	}
}
