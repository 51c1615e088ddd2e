package org.mnseg.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.mnseg.data.Volume;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.suggest.Measure;
import org.mnseg.suggest.Ranking;
import org.mnseg.suggest.VolumeScore;
import org.mnseg.train.RunListener;
import org.mnseg.util.UserError;
import org.mnseg.workflow.Engine;
import org.mnseg.workflow.ModelFile;
import org.mnseg.workflow.SuggestWorkflow;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.plugin.LutLoader;
import ij.plugin.frame.RoiManager;
import ij.process.LUT;

/**
 * "M&amp;N Suggest Annotations" without its dialog: {@link SuggestWorkflow}'s scores of open images or of a folder's
 * volumes, shown as heat-map images and "annotate next" ROIs.
 */
public final class SuggestRunner {
	static final String COMMAND = SuggestSettings.DESCRIPTOR.title();
	/** Added to an image's title for its heat map; heat maps are left out of "every open image". */
	static final String HEATMAP_SUFFIX = "-suggest";
	static final String ROI_PREFIX = "annotate next: ";

	private SuggestRunner() {}

	/**
	 * @param heatmaps one per scored image, in ranking order
	 * @param rois     the top slices, best first
	 * @param note     the fallback to uncertainty, or null
	 */
	public record Result(Ranking ranking, Measure measure, String note, List<ImagePlus> heatmaps, List<Roi> rois, List<Path> written) {}

	/** Checks the settings before any work, with messages that say which field to change. */
	public static void validate(SuggestSettings s) {
		if (s.model() == null) throw new UserError("Choose the model: the " + ModelFile.EXTENSION + " file of an M&N training.");
		if (!Files.isRegularFile(s.model()))
			throw new UserError("The model file " + s.model() + " does not exist. Choose the " + ModelFile.EXTENSION + " file of a finished training.");
		if (!SuggestSettings.INPUTS.contains(s.input()))
			throw new UserError("Input '" + s.input() + "' is unknown; choose '" + SuggestSettings.OPEN_IMAGES + "' or '" + SuggestSettings.FOLDER + "'.");
		if (s.batch() && (s.folder() == null || !Files.isDirectory(s.folder())))
			throw new UserError("Input is 'folder' but the folder '" + s.folder() + "' does not exist. Choose the folder of unlabeled images.");
		if (s.top() < 1) throw new UserError("'Slices to suggest' must be at least 1 (got " + s.top() + ").");
		if (s.spacing() < 1) throw new UserError("'Slices apart' must be at least 1 (got " + s.spacing() + ").");
		Measure.parse(s.measure());
	}

	/**
	 * Ranks the images by the model's uncertainty; {@code cancelled} (an exit of Fiji: {@link CommandRun}) stops it
	 * between windows, keeping the files written.
	 */
	public static Result run(SuggestSettings s, BooleanSupplier cancelled) {
		validate(s);
		// open images are scored as they are in memory; a folder's volumes are read from their files
		Map<String, ImagePlus> sources = new LinkedHashMap<>();
		List<SuggestWorkflow.Input> inputs;
		if (s.batch()) inputs = SuggestWorkflow.imageInputs(s.folder());
		else {
			inputs = new ArrayList<>();
			for (ImagePlus imp : images(s.images())) {
				sources.put(imp.getTitle(), imp);
				inputs.add(SuggestWorkflow.Input.inMemory(imp.getTitle(), ImagePlusConverter.toVolume(imp)));
			}
		}
		SuggestWorkflow.requireSafeOutputs(inputs, s.output(), s.output() != null, s.overwrite(), "Tick Overwrite to replace them");
		Map<String, ImagePlus> heatmaps = new LinkedHashMap<>();
		RunListener listener = new RunListener() {
			@Override
			public void message(String text) {
				Feedback.logAndStatus(COMMAND + ": " + text);
			}
		};
		SuggestWorkflow.Result r;
		r = SuggestWorkflow.run(new SuggestWorkflow.Request(s.model(), inputs, Measure.parse(s.measure()), s.top(), s.spacing(), s.output(),
			s.output() != null, Engine.auto()), listener, cancelled,
			scored -> heatmaps.put(scored.score().id(), heatmap(scored.map(), sources.get(scored.score().id()), scored.score().id())),
			(done, total) -> IJ.showProgress(done, total));
		IJ.showProgress(1.0);
		return finish(r.ranking(), r.measure(), r.note(), heatmaps, r.written());
	}

	/** The open images named (comma separated), or every open image but earlier heat maps. */
	static List<ImagePlus> images(String titles) {
		List<ImagePlus> images = new ArrayList<>();
		for (String t : TrainingSetWriter.titles(titles)) images.add(TrainingSetWriter.open(t, "Images"));
		if (images.isEmpty()) {
			int[] ids = WindowManager.getIDList();
			if (ids != null)
				for (int id : ids) {
					ImagePlus imp = WindowManager.getImage(id);
					if (imp != null && !imp.getTitle().endsWith(HEATMAP_SUFFIX)) images.add(imp);
				}
		}
		if (images.isEmpty()) throw new UserError("There is no open image to rank. Open the unlabeled images, or set Input to 'folder'.");
		return images;
	}

	static String heatmapTitle(String imageTitle) {
		return LabelImages.baseTitle(imageTitle) + HEATMAP_SUFFIX;
	}

	/** A 32-bit image of the map, 0 to 1 in the Fire lookup table, with the source's spatial calibration (or the file's). */
	private static ImagePlus heatmap(Volume map, ImagePlus source, String title) {
		ImagePlus imp = ImagePlusConverter.fromVolume(map, heatmapTitle(title));
		if (source != null) imp.setCalibration(LabelImages.spatialCalibration(source));
		java.awt.image.IndexColorModel fire = LutLoader.getLut("fire");
		if (fire != null) imp.setLut(new LUT(fire, 0, 1));
		imp.setDisplayRange(0, 1);
		return imp;
	}

	/** The heat maps in ranking order, the ROIs, and the ranking in the Log. */
	private static Result finish(Ranking ranking, Measure measure, String note, Map<String, ImagePlus> heatmaps, List<Path> written) {
		List<ImagePlus> ordered = new ArrayList<>();
		Feedback.log(COMMAND + ": images by " + measure.key() + " (highest first):");
		int rank = 0;
		for (VolumeScore v : ranking.volumes()) {
			Feedback.log(String.format(Locale.ROOT, "  %d. %s  score %.4f", ++rank, v.id(), v.score()));
			ordered.add(heatmaps.get(v.id()));
		}
		List<Roi> rois = new ArrayList<>();
		for (Ranking.SliceSuggestion s : ranking.slices()) {
			ImagePlus h = heatmaps.get(s.volume().id());
			// the whole slice: the heat map shows where in it the models disagree
			Roi roi = new Roi(0, 0, h.getWidth(), h.getHeight());
			roi.setPosition(s.slice());
			roi.setName(roiName(s.volume().id(), s.slice(), s.score()));
			rois.add(roi);
		}
		for (Path p : written) Feedback.log(COMMAND + " wrote " + p);
		return new Result(ranking, measure, note, ordered, rois, written);
	}

	static String roiName(String image, int slice, double score) {
		return String.format(Locale.ROOT, "%s%s z=%d score=%.3f", ROI_PREFIX, image, slice, score);
	}

	/** Shows the heat maps (zoomed to fit, at the best slice) and puts the ROIs into the ROI Manager. */
	public static void show(Result r) {
		// a headless JVM outside a batch-mode macro has nowhere to show an image (Fiji's --headless runs macros in batch mode)
		boolean canShow = !java.awt.GraphicsEnvironment.isHeadless() || ij.macro.Interpreter.isBatchMode();
		if (!canShow) Feedback.log(COMMAND + ": " + r.heatmaps().size() + " heat map(s) made; without a display they are not shown, so give an output folder to keep them.");
		for (ImagePlus h : canShow ? r.heatmaps() : List.<ImagePlus>of()) {
			r.ranking().slices().stream().filter(s -> heatmapTitle(s.volume().id()).equals(h.getTitle())).findFirst()
				.ifPresent(s -> h.setSlice(s.slice()));
			h.show();
			LabelImages.zoomToFit(h, null);
		}
		if (java.awt.GraphicsEnvironment.isHeadless()) {
			Feedback.log(COMMAND + ": the ROI Manager needs a display; the suggested slices are:");
			for (Roi roi : r.rois()) Feedback.log("  " + roi.getName());
			return;
		}
		RoiManager rm = RoiManager.getRoiManager();
		for (Roi roi : r.rois()) rm.addRoi(roi);
	}
}
