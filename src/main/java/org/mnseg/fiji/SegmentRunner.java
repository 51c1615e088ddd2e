package org.mnseg.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.imagej.TiffIO;
import org.mnseg.train.RunListener;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.OutputFiles;
import org.mnseg.util.UserError;
import org.mnseg.workflow.ModelFile;
import org.mnseg.workflow.SegmentWorkflow;
import org.mnseg.workflow.TrainWorkflow;
import org.mnseg.inference.Segmenter;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.RoiEncoder;
import ij.plugin.frame.RoiManager;

/**
 * "M&amp;N Segment" without its dialog: a bundle applied to an open image (label image, optional probability map
 * and ROIs) or to every volume of a folder (files written exactly as {@code mn segment} writes them).
 */
public final class SegmentRunner {
	private SegmentRunner() {}

	/**
	 * What one image gave. {@code probability} and {@code rois} are null/empty when not asked for; {@code image} is the
	 * segmented image (null for a folder).
	 */
	public record Result(ImagePlus labels, ImagePlus probability, List<Roi> rois, List<Path> written, ImagePlus image) {}

	/** Checks the settings before any work, with messages that say which field to change. */
	public static void validate(SegmentSettings s, ImagePlus image) {
		if (s.model() == null || s.model().toString().isBlank())
			throw new UserError("Choose the model: a " + ModelFile.EXTENSION + " file written by M&N Co-Train or 'mn train'.");
		if (Files.isDirectory(s.model()))
			throw new UserError("The model " + s.model() + " is a folder, not a file. Choose the " + ModelFile.EXTENSION + " file inside it (e.g. "
				+ s.model().resolve(TrainWorkflow.BUNDLE_FILE) + ").");
		if (!Files.isRegularFile(s.model()))
			throw new UserError("The model file " + s.model() + " does not exist. Choose the " + ModelFile.EXTENSION + " file of a finished training.");
		if (!SegmentSettings.INPUTS.contains(s.input()))
			throw new UserError("Input '" + s.input() + "' is unknown; choose '" + SegmentSettings.CURRENT_IMAGE + "' or '" + SegmentSettings.FOLDER + "'.");
		if (s.batch()) {
			if (s.folder() == null || !Files.isDirectory(s.folder()))
				throw new UserError("Input is 'folder' but the folder '" + s.folder() + "' does not exist. Choose the folder of images to segment.");
			if (s.output() == null || s.output().toString().isBlank())
				throw new UserError("Segmenting a folder writes one label file per image: choose an output folder.");
		}
		else if (image == null) throw new UserError("There is no open image to segment. Open an image, or set Input to 'folder'.");
		else if (TrainingProgress.isPlot(image))
			throw new UserError("The current image is the plot '" + image.getTitle() + "'. Click the image to segment first, then run M&N Segment again.");
		OutputFiles.requireFolder(s.output(), "results");
		SegmentWorkflow.replacementFor(s.replaceNan());
		if (s.network() != null && !SegmentSettings.NETWORKS.contains(s.network()))
			throw new UserError("Network '" + s.network() + "' is unknown; choose one of: " + String.join(", ", SegmentSettings.NETWORKS) + ".");
	}

	/**
	 * Segments according to the settings; {@code image} is the current image (ignored for a folder); {@code cancelled}
	 * (an exit of Fiji: {@link CommandRun}) stops it between windows, keeping the volumes written.
	 */
	public static Result run(SegmentSettings s, ImagePlus image, BooleanSupplier cancelled) {
		validate(s, image);
		if (s.batch())
			SegmentWorkflow.requireSafeOutputs(SegmentWorkflow.inputs(s.folder()), s.output(), s.probability(), s.overwrite(), "Tick Overwrite to replace them");
		else if (hasOutput(s)) {
			List<OutputFiles.Planned> planned = ImageOutputs.of(s, image).files().stream().map(f -> new OutputFiles.Planned(f, null)).toList();
			OutputFiles.requireSafe(planned, List.of(), s.output(), "results", s.overwrite(), "Tick Overwrite to replace them");
		}
		try (Segmenter segmenter = ModelFile.open(s.model(), s.role())) {
			if (s.batch()) {
				RunListener listener = new RunListener() {
					@Override
					public void message(String text) {
						Feedback.status("M&N Segment: " + text);
					}
				};
				List<Path> written = SegmentWorkflow.run(segmenter, s.folder(), s.output(), s.probability(), SegmentWorkflow.replacementFor(s.replaceNan()),
					listener, cancelled);
				for (Path p : written) Feedback.log("M&N Segment wrote " + p);
				return new Result(null, null, List.of(), written, null);
			}
			return segmentImage(segmenter, s, image, cancelled);
		}
	}

	private static boolean hasOutput(SegmentSettings s) {
		return s.output() != null && !s.output().toString().isBlank();
	}

	private static Result segmentImage(Segmenter segmenter, SegmentSettings s, ImagePlus image, BooleanSupplier cancelled) {
		Feedback.status("M&N Segment: " + image.getTitle());
		SegmentWorkflow.ImageResult seg = SegmentWorkflow.segmentImage(segmenter, ImagePlusConverter.toVolume(image),
			"The image '" + image.getTitle() + "'", s.probability(), SegmentWorkflow.replacementFor(s.replaceNan()), (done, total) -> IJ.showProgress(done, total),
			cancelled);
		IJ.showProgress(1.0);
		ImagePlus labels = LabelImages.labels(seg.labels(), image, seg.classNames());
		// the legend: which colour is which class, and how much of the image each covers
		Feedback.log("M&N Segment: " + labels.getTitle() + " (Image > Show Info repeats this):");
		for (String line : LabelImages.legend(seg.labels(), seg.classNames(), labels.getCalibration())) Feedback.log("  " + line);
		if (s.overlay()) LabelImages.overlay(image, labels);
		ImagePlus probability = s.probability() ? LabelImages.foregroundProbability(seg.foregroundProbability(), image) : null;
		List<Roi> rois = s.rois() ? ClassRois.toRois(seg.labels(), seg.classNames()) : List.of();
		List<Path> written = new ArrayList<>();
		if (hasOutput(s)) {
			ImageOutputs out = ImageOutputs.of(s, image);
			written.add(saveTiff(labels, out.labels()));
			if (probability != null) written.add(saveTiff(probability, out.probability()));
			if (!rois.isEmpty()) written.add(saveRois(rois, out.rois()));
		}
		Feedback.status("M&N Segment: " + labels.getTitle() + " done");
		return new Result(labels, probability, rois, written, image);
	}

	/**
	 * Shows the results: images as windows (or batch-mode images in a macro), zoomed like the segmented image (or to
	 * fit), and ROIs in the ROI Manager.
	 */
	public static void show(Result r) {
		for (ImagePlus imp : new ImagePlus[] { r.probability(), r.labels() })
			if (imp != null) {
				imp.show();
				LabelImages.zoomToFit(imp, r.image());
			}
		if (!r.rois().isEmpty()) {
			if (java.awt.GraphicsEnvironment.isHeadless()) {
				Feedback.log("M&N Segment: " + r.rois().size() + " ROIs made; the ROI Manager needs a display, so give an output folder to keep them as a .zip.");
				return;
			}
			RoiManager rm = RoiManager.getRoiManager();
			for (Roi roi : r.rois()) rm.addRoi(roi);
		}
	}

	/**
	 * The files the current image's results go to in the output folder, named after the images shown (the checks
	 * before segmenting and the writes after use these same names): labels, probability map and ROIs (null when not
	 * asked for).
	 */
	private record ImageOutputs(Path labels, Path probability, Path rois) {
		static ImageOutputs of(SegmentSettings s, ImagePlus image) {
			String title = LabelImages.labelsTitle(image);
			return new ImageOutputs(s.output().resolve(title + ".tif"), s.probability() ? s.output().resolve(LabelImages.probabilityTitle(image) + ".tif") : null,
				s.rois() ? s.output().resolve(title + "-rois.zip") : null);
		}

		List<Path> files() {
			return Stream.of(labels, probability, rois).filter(Objects::nonNull).toList();
		}
	}

	private static Path saveTiff(ImagePlus imp, Path target) {
		TiffIO.save(imp, target);
		return target;
	}

	private static Path saveRois(List<Roi> rois, Path target) {
		AtomicFiles.write(target, out -> {
			java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out);
			java.io.DataOutputStream data = new java.io.DataOutputStream(zip);
			RoiEncoder encoder = new RoiEncoder(data);
			for (Roi roi : rois) {
				zip.putNextEntry(new java.util.zip.ZipEntry(roi.getName() + ".roi"));
				encoder.write(roi);
				data.flush();
			}
			zip.finish();
		});
		return target;
	}
}
