package org.mnseg.fiji;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.mnseg.util.OutputFiles;
import org.mnseg.util.UserError;
import org.mnseg.workflow.Engine;
import org.mnseg.workflow.RunFolder;
import org.mnseg.workflow.TrainOptions;
import org.mnseg.workflow.TrainWorkflow;

import ij.gui.Roi;
import ij.plugin.frame.RoiManager;

/**
 * "M&amp;N Co-Train" without its dialog: gathers the labeled and unlabeled data into a data set folder inside the
 * run folder (unless a data set folder is used as it is), then runs {@link TrainWorkflow} with progress and
 * cancellation. The run folder ends with {@code model.mnmodel}; a cancelled run keeps its checkpoint for Resume.
 */
public final class CoTrainRunner {
	/** The plot of the losses, saved in the run folder. */
	public static final String PLOT_FILE = "loss-plot.png";

	private CoTrainRunner() {}

	/** The training settings the dialog's fields give, as {@code mn train} takes them; what Options names wins. */
	static Map<String, String> trainingOptions(CoTrainSettings s) {
		Map<String, String> overrides = TrainOptions.parse(s.options(), "Options");
		if (s.epochs() > 0) overrides.put("epochs", Integer.toString(s.epochs()));
		overrides.putIfAbsent("architecture3d", s.architecture());
		overrides.putIfAbsent("architecture2d", s.model2d());
		overrides.putIfAbsent("fine-tuning", s.finetuning());
		if (s.weights2d() != null) overrides.putIfAbsent("weights2d", s.weights2d().toString());
		// networks that cannot zoom slices ignore the field, so that its default suits every choice of 2-D model
		String zoom = TrainOptions.sliceZoomOptions(overrides.get("architecture2d"), s.sliceZoom());
		if (zoom != null) overrides.putIfAbsent("options2d", zoom);
		return overrides;
	}

	/**
	 * Trains; returns the result of the workflow.
	 *
	 * @param rois      the ROI Manager's ROIs (used when labeled = ROI Manager; may be null otherwise)
	 * @param cancelled Cancel, or an exit of Fiji ({@link CommandRun}): the run stops after its step
	 * @throws java.util.concurrent.CancellationException when cancelled (the checkpoint stays)
	 */
	public static TrainWorkflow.Result run(CoTrainSettings s, Roi[] rois, TrainingProgress progress, BooleanSupplier cancelled) {
		if (s.output() == null || s.output().toString().isBlank())
			throw new UserError("Choose an output folder: the model, the training log and the checkpoint are saved there.");
		choice("Method", s.method(), TrainOptions.methods());
		choice("Architecture", s.architecture(), TrainOptions.architectures3d());
		choice("2D model", s.model2d(), TrainOptions.architectures2d());
		choice("Fine-tuning", s.finetuning(), TrainOptions.fineTunings());
		choice("Preset", s.preset(), TrainOptions.presets());
		if (s.epochs() < 0) throw new UserError("Epochs must be 0 (the preset's number) or more.");
		if (s.sliceZoom() < 1) throw new UserError("Slice zoom (2D) must be 1 (slices at their own size) or more.");
		boolean hasCheckpoint = TrainOptions.hasCheckpoint(s.output());
		if (s.resume() && s.overwrite())
			throw new UserError("Resume continues the run in " + s.output() + " and Overwrite replaces it: tick one or the other.");
		if (s.resume() && !hasCheckpoint)
			throw new UserError("Resume is ticked but " + s.output() + " holds no checkpoint. Untick Resume to start a new run there.");
		if (!s.resume() && !s.overwrite() && hasCheckpoint)
			throw new UserError("The output folder " + s.output() + " holds the checkpoint of an earlier run. Tick Resume to continue it, Overwrite to "
				+ "train again from the start, or choose another output folder.");
		// before the open images are written into it
		OutputFiles.requireFolder(s.output(), "model, its log and checkpoint");
		List<String> results = s.resume() || s.overwrite() ? List.of() : RunFolder.earlierResults(s.output());
		if (!results.isEmpty())
			throw new UserError("The output folder " + s.output() + " holds the results of an earlier run (" + String.join(", ", results)
				+ "). Tick Overwrite to replace them, or choose another output folder.");

		Map<String, String> overrides = trainingOptions(s);

		Path dataset = null;
		int labeled = -1;
		TrainingSetWriter written = null;
		try {
			if (!s.resume()) {
				if (s.overwrite()) TrainingSetWriter.removeEarlier(s.output());
				DataChoice data = gather(s, rois, overrides);
				dataset = data.dataset();
				labeled = data.labeled();
				written = data.writer();
			}
			Engine.prepare();
			TrainWorkflow.Request request = new TrainWorkflow.Request(dataset, labeled, s.method(), s.preset(), overrides, s.output(), s.resume(),
				s.evaluate(), Engine.auto(), s.overwrite());
			progress.forRun(s.output(), s.resume());
			try {
				TrainWorkflow.Result result = TrainWorkflow.run(request, progress, cancelled);
				Feedback.log("M&N Co-Train: " + result.ending() + " M&N Segment offers it as its Model.");
				if (!Feedback.quiet()) ij.IJ.showStatus("M&N Co-Train done: " + doneStatus(result));
				SegmentPlugin.offerModel(result.bundle());
				return result;
			} finally {
				progress.savePlot(s.output().resolve(PLOT_FILE));
			}
		} catch (RuntimeException | Error e) {
			// a run that stopped before its first checkpoint cannot be resumed: leave the folder as it was, so that
			// starting again there works (the copied data would otherwise block a new start)
			if (written != null && !TrainOptions.hasCheckpoint(s.output())) written.discard();
			throw e;
		}
	}

	/** The status bar's last word on a run: the scores, the model's file name. */
	private static String doneStatus(TrainWorkflow.Result r) {
		String dice = (Double.isFinite(r.validationDice()) ? String.format(java.util.Locale.ROOT, "validation Dice %.4f, ", r.validationDice()) : "")
			+ (Double.isFinite(r.testDice()) ? String.format(java.util.Locale.ROOT, "test Dice %.4f, ", r.testDice()) : "");
		return dice + "model saved as " + r.bundle().getFileName() + " (details in the Log)";
	}

	/** The data set the core reads; {@code writer} is set when it was written into the run folder by this call. */
	private record DataChoice(Path dataset, int labeled, TrainingSetWriter writer) {}

	/** Where the core reads the data from: the data set folder itself, or a folder written from Fiji's data. */
	private static DataChoice gather(CoTrainSettings s, Roi[] rois, Map<String, String> overrides) {
		int subset = subset(s.subset());
		boolean extraUnlabeled = !TrainingSetWriter.titles(s.unlabeled()).isEmpty() || s.unlabeledFolder() != null;
		if (CoTrainSettings.FOLDER.equals(s.labeled())) {
			if (s.dataset() == null) throw new UserError("Labeled data is 'folder': choose the data set folder (images/ and labels/, or a dataset.json).");
			if (!extraUnlabeled) return new DataChoice(s.dataset(), subset, null);
		}
		TrainingSetWriter writer = new TrainingSetWriter(s.output(), overrides.getOrDefault("replace-nan", ""));
		try {
			write(writer, s, subset, rois);
		} catch (RuntimeException | Error e) {
			writer.discard();
			throw e;
		}
		// images from Fiji have no modality: z-scores per volume suit MRI and microscopy alike
		overrides.putIfAbsent("normalization", "mri");
		return new DataChoice(writer.root(), -1, writer);
	}

	private static void write(TrainingSetWriter writer, CoTrainSettings s, int subset, Roi[] rois) {
		switch (s.labeled()) {
			case CoTrainSettings.PAIRS -> writer.addPairs(s.images(), s.labels());
			case CoTrainSettings.ROIS -> writer.addRois(s.images(), rois == null ? new Roi[0] : rois);
			case CoTrainSettings.FOLDER -> writer.addDataset(s.dataset(), subset);
			default -> throw new UserError("Labeled data '" + s.labeled() + "' is unknown. Choose one of " + CoTrainSettings.SOURCES + ".");
		}
		writer.addUnlabeledImages(s.unlabeled());
		if (s.unlabeledFolder() != null) writer.addUnlabeledFolder(s.unlabeledFolder());
	}

	/** The ROI Manager's ROIs, or none when there is no ROI Manager. */
	public static Roi[] roiManagerRois() {
		RoiManager rm = RoiManager.getInstance();
		if (rm == null && ij.macro.Interpreter.isBatchModeRoiManager()) rm = ij.macro.Interpreter.getBatchModeRoiManager();
		return rm == null ? new Roi[0] : rm.getRoisAsArray();
	}

	static int subset(String text) {
		if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("all")) return -1;
		try {
			int n = Integer.parseInt(text.trim());
			if (n < 1) throw new NumberFormatException();
			return n;
		} catch (NumberFormatException e) {
			throw new UserError("Subset '" + text + "': write 'all' or a number of labeled cases (1 or more).");
		}
	}

	private static void choice(String field, String value, List<String> choices) {
		if (!choices.contains(value)) throw new UserError(field + " '" + value + "' is unknown. Choose one of " + String.join(", ", choices) + ".");
	}
}
