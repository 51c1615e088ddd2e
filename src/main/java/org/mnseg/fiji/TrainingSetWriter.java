package org.mnseg.fiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.util.UserError;
import org.mnseg.workflow.DatasetWriter;
import org.mnseg.workflow.RunFolder;

import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.gui.Roi;

/**
 * Turns what the user has in Fiji (open images, label images, ROIs, folders) into the plain folder data set the core
 * trains on ({@link DatasetWriter}), inside the run folder, so that the run is reproducible and resumable after Fiji
 * is closed.
 */
public final class TrainingSetWriter {
	/** The data set folder inside the run folder. */
	public static final String FOLDER = "data";

	private final DatasetWriter out;

	/** A writer that refuses images with NaN or infinite voxels. */
	public TrainingSetWriter(Path runDir) {
		this(runDir, "");
	}

	/** @param replaceNan what NaN and infinite voxels become (the Options' replace-nan, e.g. "0"); empty: refused */
	public TrainingSetWriter(Path runDir, String replaceNan) {
		Path root = runDir.resolve(FOLDER);
		// a failed or early-cancelled start removes its data (CoTrainRunner), so data/ here is a run that was killed
		// before its first checkpoint (with a checkpoint, the caller has already asked for Resume)
		if (Files.exists(root))
			throw new UserError("The output folder " + runDir + " holds the training data of a run that stopped before its first checkpoint (" + root
				+ "), so it cannot be resumed. Delete that folder to start again there, or choose another output folder.");
		out = new DatasetWriter(root, replaceNan);
	}

	public Path root() {
		return out.root();
	}

	/**
	 * For Overwrite: removes the training data an earlier start wrote into {@code runDir}, holding the folder meanwhile,
	 * so that the data of a run still training there is never removed (the claim is refused).
	 */
	public static void removeEarlier(Path runDir) {
		Path root = runDir.resolve(FOLDER);
		if (!Files.exists(root)) return;
		try (RunFolder held = RunFolder.claim(runDir, false, true)) {
			new DatasetWriter(root).discard();
		} catch (IOException e) {
			throw new UserError("Cannot remove the earlier run's training data " + root + " (" + e.getMessage() + "). Delete that folder, then start "
				+ "again.", e);
		}
	}

	/** Removes everything this writer wrote (the data set folder), after a start that failed. */
	public void discard() {
		try {
			out.discard();
		} catch (IOException e) {
			Feedback.log("M&N Co-Train: could not remove " + out.root() + " (" + e.getMessage() + "); delete it before starting again in that folder.");
		}
	}

	/** Image/label pairs of open images, by title lists in the same order. */
	public void addPairs(String imageTitles, String labelTitles) {
		List<String> images = titles(imageTitles), labels = titles(labelTitles);
		if (images.isEmpty()) throw new UserError("Name the labeled images in 'Images' (titles of open images, comma separated).");
		if (images.size() != labels.size())
			throw new UserError("'Images' names " + images.size() + " image(s) but 'Labels' names " + labels.size()
				+ ". Give one label image per image, in the same order.");
		for (int i = 0; i < images.size(); i++) {
			ImagePlus image = open(images.get(i), "Images"), label = open(labels.get(i), "Labels");
			Volume v = ImagePlusConverter.toVolume(image);
			LabelVolume l = ImagePlusConverter.toLabels(label);
			if (!Arrays.equals(v.shape(), l.shape()))
				throw new UserError("Image '" + image.getTitle() + "' is " + shape(v.shape()) + " but its labels '" + label.getTitle() + "' are "
					+ shape(l.shape()) + ". A label image must have the size and slices of its image.");
			out.addLabeled(LabelImages.baseTitle(image.getTitle()), source(image), v, LabelVolume.wrap(l.data(), l.shape(), v.geometry()));
		}
	}

	/**
	 * The ROI Manager's ROIs as labeled cases; only the annotated slices of an image become its case. With one image
	 * (or none named: the current image) every ROI is on it; with several, each ROI belongs to the image it was drawn
	 * on (the image the ROI Manager recorded when it was added).
	 */
	public void addRois(String imageTitles, Roi[] rois) {
		List<String> titles = titles(imageTitles);
		if (titles.size() <= 1) {
			ImagePlus image = titles.isEmpty() ? WindowManager.getCurrentImage() : open(titles.get(0), "Images");
			if (image == null || TrainingProgress.isPlot(image)) throw new UserError("Name the image the ROIs are drawn on in 'Images', or make it the current image.");
			addRois(image, rois, new LinkedHashMap<>());
			return;
		}
		List<ImagePlus> images = titles.stream().map(t -> open(t, "Images")).toList();
		Map<String, Integer> classes = new LinkedHashMap<>();
		for (Roi roi : rois)
			if (images.stream().noneMatch(i -> i.getID() == roi.getImageID()))
				throw new UserError("ROI '" + roi.getName() + "' was not drawn on any of the images named in 'Images' (" + String.join(", ", titles)
					+ "), or the ROI Manager no longer knows its image (ROIs opened from a file). Draw it on its image, or train from the ROIs of one "
					+ "image at a time.");
		for (ImagePlus image : images)
			addRois(image, Arrays.stream(rois).filter(r -> r.getImageID() == image.getID()).toArray(Roi[]::new), classes);
	}

	private void addRois(ImagePlus image, Roi[] rois, Map<String, Integer> classes) {
		if (image.getNChannels() > 1)
			throw new UserError("Training from ROIs supports single-channel images; '" + image.getTitle() + "' has " + image.getNChannels()
				+ " channels. Use labeled image pairs instead.");
		Volume full = ImagePlusConverter.toVolume(image);
		int[] s = full.shape();
		ClassRois.Annotation a = ClassRois.toLabels(rois, s, full.geometry(), image.getTitle(), classes);
		ImageStack sub = new ImageStack(s[0], s[1]);
		for (int z : a.slices()) sub.addSlice(image.getStack().getProcessor(image.getStackIndex(1, z, 1)).duplicate());
		ImagePlus subImage = new ImagePlus(image.getTitle(), sub);
		subImage.setCalibration(image.getCalibration().copy());
		out.addLabeled(LabelImages.baseTitle(image.getTitle()), source(image), ImagePlusConverter.toVolume(subImage), a.labels());
		Feedback.log("M&N Co-Train: " + rois.length + " ROIs on " + a.slices().length + " slice(s) of '" + image.getTitle() + "', classes "
			+ (a.classes().isEmpty() ? "by group or number" : a.classes()));
	}

	/** The labeled cases of a data set folder (the first {@code n}, or all for n &lt; 0) and its unlabeled images. */
	public void addDataset(Path dataset, int n) {
		out.addDataset(dataset, n);
	}

	/** Open images without labels. */
	public void addUnlabeledImages(String imageTitles) {
		for (String t : titles(imageTitles)) {
			ImagePlus image = open(t, "Unlabeled images");
			out.addUnlabeled(t, source(image), ImagePlusConverter.toVolume(image));
		}
	}

	/** Every volume file of a folder, as unlabeled images. */
	public void addUnlabeledFolder(Path folder) {
		out.addUnlabeledFolder(folder);
	}

	/** How messages name an open image. */
	private static String source(ImagePlus image) {
		return "The image '" + image.getTitle() + "'";
	}

	static List<String> titles(String list) {
		List<String> out = new ArrayList<>();
		if (list == null) return out;
		for (String t : list.split(","))
			if (!t.isBlank()) out.add(t.trim());
		return out;
	}

	/** The titles of the open images, leaving out plots (the loss plot is no training image). */
	static String[] openImageTitles() {
		return java.util.Arrays.stream(WindowManager.getImageTitles()).filter(t -> !TrainingProgress.isPlot(WindowManager.getImage(t)))
			.toArray(String[]::new);
	}

	static ImagePlus open(String title, String field) {
		ImagePlus imp = WindowManager.getImage(title);
		if (imp == null || TrainingProgress.isPlot(imp)) {
			String[] open = openImageTitles();
			throw new UserError("'" + field + "' names '" + title + "', which is not an open image. Open images: "
				+ (open.length == 0 ? "none" : String.join(", ", open)) + ".");
		}
		return imp;
	}

	private static String shape(int[] s) {
		return s[0] + " x " + s[1] + " x " + s[2];
	}
}
