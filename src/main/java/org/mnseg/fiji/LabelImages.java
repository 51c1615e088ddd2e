package org.mnseg.fiji;

import java.awt.Color;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.workflow.SegmentWorkflow;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.GUI;
import ij.gui.ImageCanvas;
import ij.gui.ImageRoi;
import ij.gui.ImageWindow;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.process.ImageProcessor;
import ij.process.LUT;

/**
 * Result images as Fiji shows them: class indices with a label lookup table, probabilities as 32-bit, both on the
 * spatial calibration of the image they were computed from and named after it.
 */
public final class LabelImages {
	/** Title suffixes of the result images. */
	public static final String LABELS_SUFFIX = "-labels", PROBABILITY_SUFFIX = "-foreground-probability";

	private LabelImages() {}

	/**
	 * The 8-bit label image of {@code labels}, titled {@code <source title>-labels}, at the middle slice of the
	 * foreground (slice 1 is often empty), with the legend of {@link #legend} as its Info (Image &gt; Show Info).
	 */
	public static ImagePlus labels(LabelVolume labels, ImagePlus source, List<String> classNames) {
		ImagePlus imp = ImagePlusConverter.fromLabels(labels, labelsTitle(source));
		imp.setCalibration(spatialCalibration(source));
		imp.setLut(labelLut());
		// every class index gets its own colour: the LUT is indexed by value, not stretched
		imp.setDisplayRange(0, 255);
		imp.setSlice(middleForegroundSlice(labels));
		imp.setProperty("Info", String.join("\n", legend(labels, classNames, imp.getCalibration())) + "\n");
		return imp;
	}

	/** The slice (1-based) halfway between the first and the last slice with a labelled voxel; the middle one without any. */
	public static int middleForegroundSlice(LabelVolume labels) {
		int[] s = labels.shape();
		int plane = s[0] * s[1], first = -1, last = -1;
		byte[] data = labels.data();
		for (int z = 0; z < s[2]; z++)
			for (int i = z * plane; i < (z + 1) * plane; i++)
				if (data[i] != 0) {
					if (first < 0) first = z;
					last = z;
					break;
				}
		return first < 0 ? s[2] / 2 + 1 : (first + last) / 2 + 1;
	}

	/**
	 * One line per class of the model: index, name, colour of the label lookup table, and how much of the image it
	 * covers (voxels and volume in the calibration's unit), e.g. {@code 1 anterior: colour #ff6a00, 1520 voxels,
	 * 1520 mm^3}.
	 */
	public static List<String> legend(LabelVolume labels, List<String> classNames, Calibration cal) {
		long[] counts = new long[256];
		for (byte b : labels.data()) counts[b & 0xff]++;
		int classes = Math.max(classNames.size(), labels.maxLabel() + 1);
		LUT lut = labelLut();
		double voxel = cal.pixelWidth * cal.pixelHeight * cal.pixelDepth;
		List<String> lines = new ArrayList<>();
		for (int k = 1; k < classes; k++) {
			String name = k < classNames.size() ? classNames.get(k) : "class " + k;
			lines.add(String.format(Locale.ROOT, "%d %s: colour #%06x, %d voxels, %.6g %s^3", k, name, lut.getRGB(k) & 0xffffff, counts[k], counts[k] * voxel,
				cal.getUnit()));
		}
		return lines;
	}

	/**
	 * Shows the labels on {@code image} as an overlay: on each slice the label colours, half transparent, background
	 * clear. An earlier M&amp;N overlay on the image is replaced; the image's pixels are not touched.
	 */
	public static void overlay(ImagePlus image, ImagePlus labels) {
		Overlay overlay = image.getOverlay() == null ? new Overlay() : image.getOverlay();
		for (Roi r : overlay.toArray())
			if (OVERLAY_NAME.equals(r.getName())) overlay.remove(r);
		ImageStack stack = labels.getStack();
		for (int z = 1; z <= stack.getSize(); z++) {
			ImageProcessor ip = stack.getProcessor(z).duplicate();
			if (ip.getStatistics().max == 0) continue;
			ip.setLut(labelLut());
			ImageRoi roi = new ImageRoi(0, 0, ip);
			roi.setZeroTransparent(true);
			roi.setOpacity(0.45);
			roi.setName(OVERLAY_NAME);
			if (image.isHyperStack()) roi.setPosition(0, z, 0);
			else roi.setPosition(z);
			overlay.add(roi);
		}
		image.setOverlay(overlay);
	}

	/** Name of the overlay elements {@link #overlay} adds. */
	public static final String OVERLAY_NAME = "M&N labels";

	/**
	 * Zooms a shown result window in (never out) to fit a comfortable part of the screen, or to the source window's
	 * zoom where that is larger (as far as the screen allows), so that both look alike side by side: ImageJ opens small
	 * volumes at 100%, where a 40-pixel slice is a speck. Does nothing without a window. (The canvas zooms directly:
	 * ImageJ's Zoom command would also write a line into the macro recorder.)
	 */
	public static void zoomToFit(ImagePlus result, ImagePlus source) {
		ImageWindow win = result.getWindow();
		if (win == null) return;
		Rectangle screen = GUI.getMaxWindowBounds(win);
		int w = result.getWidth(), h = result.getHeight();
		double mag = fitMagnification(w, h, screen.width, screen.height);
		if (source != null && source.getCanvas() != null)
			mag = Math.max(mag, Math.min(source.getCanvas().getMagnification(), fitMagnification(w, h, screen.width, screen.height, 0.85, 0.85)));
		ImageCanvas canvas = win.getCanvas();
		// step by step as the + key does, which grows the window with the canvas (at most 16 steps: 1/4 to 32)
		for (int i = 0; i < 16 && canvas.getMagnification() < mag - 1e-9; i++) {
			double before = canvas.getMagnification();
			canvas.zoomIn(canvas.screenX(w / 2), canvas.screenY(h / 2));
			if (canvas.getMagnification() <= before) break;
		}
	}

	/** The largest zoom level (as ImageJ's, from 1/4 to 32) at which the image takes at most 45% x 60% of the screen. */
	static double fitMagnification(int width, int height, int screenWidth, int screenHeight) {
		return fitMagnification(width, height, screenWidth, screenHeight, 0.45, 0.6);
	}

	private static double fitMagnification(int width, int height, int screenWidth, int screenHeight, double widthShare, double heightShare) {
		double limit = Math.min(widthShare * screenWidth / width, heightShare * screenHeight / height);
		double mag = 0.25;
		for (double level : new double[] { 1 / 3.0, 0.5, 2 / 3.0, 0.75, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32 })
			if (level <= limit) mag = level;
		return mag;
	}

	/** The title of {@link #labels}'s image for {@code source}. */
	static String labelsTitle(ImagePlus source) {
		return baseTitle(source.getTitle()) + LABELS_SUFFIX;
	}

	/** The title of {@link #foregroundProbability}'s image for {@code source}. */
	static String probabilityTitle(ImagePlus source) {
		return baseTitle(source.getTitle()) + PROBABILITY_SUFFIX;
	}

	/** The 32-bit foreground probability (1 - P(background)), titled {@code <source title>-foreground-probability}. */
	public static ImagePlus foregroundProbability(Volume foreground, ImagePlus source) {
		ImagePlus imp = ImagePlusConverter.fromVolume(foreground, probabilityTitle(source));
		imp.setCalibration(spatialCalibration(source));
		imp.setDisplayRange(0, 1);
		return imp;
	}

	/** The title without a volume file extension ({@code case_01.nii.gz} gives {@code case_01}). */
	public static String baseTitle(String title) {
		return SegmentWorkflow.baseName(title);
	}

	/** The source's pixel sizes, unit and origin, without its intensity calibration (which would mislabel classes). */
	static Calibration spatialCalibration(ImagePlus source) {
		Calibration c = source.getCalibration().copy();
		c.disableDensityCalibration();
		c.setValueUnit("");
		return c;
	}

	/**
	 * Black background and well separated colours for classes 1..255: hues stepped by the golden angle, so
	 * neighbouring class indices never look alike.
	 */
	public static LUT labelLut() {
		byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		for (int i = 1; i < 256; i++) {
			float hue = (float) ((i * 0.618033988749895) % 1.0);
			float saturation = i % 2 == 0 ? 0.65f : 0.95f;
			Color c = Color.getHSBColor(hue, saturation, 1f);
			r[i] = (byte) c.getRed();
			g[i] = (byte) c.getGreen();
			b[i] = (byte) c.getBlue();
		}
		return new LUT(r, g, b);
	}
}
