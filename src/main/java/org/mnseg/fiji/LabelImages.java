package org.mnseg.fiji;

import java.awt.Color;

import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.io.VolumeIO;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.LUT;

/**
 * Result images as Fiji shows them: class indices with a label lookup table, probabilities as 32-bit, both on the
 * spatial calibration of the image they were computed from and named after it.
 */
public final class LabelImages {
	/** Title suffixes of the result images. */
	public static final String LABELS_SUFFIX = "-labels", PROBABILITY_SUFFIX = "-foreground-probability";

	private LabelImages() {}

	/** The 8-bit label image of {@code labels}, titled {@code <source title>-labels}. */
	public static ImagePlus labels(LabelVolume labels, ImagePlus source) {
		ImagePlus imp = ImagePlusConverter.fromLabels(labels, baseTitle(source.getTitle()) + LABELS_SUFFIX);
		imp.setCalibration(spatialCalibration(source));
		imp.setLut(labelLut());
		// every class index gets its own colour: the LUT is indexed by value, not stretched
		imp.setDisplayRange(0, 255);
		return imp;
	}

	/** The 32-bit foreground probability (1 - P(background)), titled {@code <source title>-foreground-probability}. */
	public static ImagePlus foregroundProbability(Volume foreground, ImagePlus source) {
		ImagePlus imp = ImagePlusConverter.fromVolume(foreground, baseTitle(source.getTitle()) + PROBABILITY_SUFFIX);
		imp.setCalibration(spatialCalibration(source));
		imp.setDisplayRange(0, 1);
		return imp;
	}

	/** The title without a volume file extension ({@code case_01.nii.gz} gives {@code case_01}). */
	public static String baseTitle(String title) {
		return VolumeIO.baseName(title);
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
