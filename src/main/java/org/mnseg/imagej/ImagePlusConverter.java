package org.mnseg.imagej;

import org.mnseg.data.LabelConversion;
import java.util.Base64;
import java.util.Locale;

import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.util.UserError;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;

/**
 * Converts between ImageJ 1.x images and this project's volumes. ImageJ's x, y and slice axes are X, Y and Z;
 * hyperstack channels become the volume's channel axis. Calibration (pixel width, height and depth with a length
 * unit) is converted to spacing in mm and back.
 * <p>
 * Intensities are the calibrated values ImageJ shows (so signed 16-bit data, which ImageJ stores with an offset
 * calibration, arrives with its sign); RGB images become three channels.
 * <p>
 * A volume read from NIfTI keeps its header on the image (property {@link #NIFTI_HEADER}, which TIFF files keep
 * too), and an image that has one gives it back to its volume: so a label image computed from it is saved as NIfTI on
 * the same grid and orientation (qform/sform) as its source. The header describes the voxel grid as it was read:
 * after a flip or rotation in ImageJ it no longer does (a crop or resize changes the size, and then a plain header
 * with the calibration's spacing is written instead).
 */
public final class ImagePlusConverter {
	/** Unit written into the calibration of images made from volumes. */
	public static final String UNIT = "mm";

	/** The image property (base64 of the 348 bytes) that carries the NIfTI-1 header of a volume read from NIfTI. */
	public static final String NIFTI_HEADER = "mnseg.nifti-header";

	private ImagePlusConverter() {}

	/** Copies an image (8, 16 or 32-bit, or RGB) into a float volume; time series are a UserError. */
	public static Volume toVolume(ImagePlus imp) {
		if (imp.getNFrames() > 1)
			throw new UserError("Image '" + imp.getTitle() + "' has " + imp.getNFrames() + " time points; only one is supported. "
				+ "Use Image > Duplicate to take a single time point, or Image > Hyperstacks > Re-order to turn frames into slices.");
		boolean rgb = imp.getType() == ImagePlus.COLOR_RGB;
		int w = imp.getWidth(), h = imp.getHeight(), depth = imp.getNSlices();
		int channels = rgb ? 3 : imp.getNChannels();
		int plane = w * h;
		long perChannel = (long) plane * depth;
		if (perChannel * channels > Integer.MAX_VALUE - 8)
			throw new UserError("Image '" + imp.getTitle() + "' is too large for one volume (" + perChannel * channels + " values). Crop or downsample it first.");
		float[] out = new float[(int) (perChannel * channels)];
		ImageStack stack = imp.getStack();
		Calibration cal = imp.getCalibration();
		for (int z = 0; z < depth; z++) {
			for (int c = 0; c < imp.getNChannels(); c++) {
				Object pixels = stack.getPixels(imp.getStackIndex(c + 1, z + 1, 1));
				int offset = z * plane;
				if (rgb) copyRgb((int[]) pixels, out, offset, perChannel);
				else copyPlane(pixels, cal, out, (int) (c * perChannel) + offset);
			}
		}
		long[] dims = channels == 1 ? new long[] { w, h, depth } : new long[] { w, h, depth, channels };
		return Volume.wrap(out, dims, new Geometry(spacingOf(cal), niftiHeader(imp)));
	}

	/** Copies a single-channel image of class indices; float values are rounded as in {@link LabelConversion}. */
	public static LabelVolume toLabels(ImagePlus imp) {
		return toLabels(imp, "Image '" + imp.getTitle() + "'");
	}

	/** As {@link #toLabels(ImagePlus)}, naming the image as {@code source} in messages (e.g. the file it came from). */
	public static LabelVolume toLabels(ImagePlus imp, Object source) {
		if (imp.getType() == ImagePlus.COLOR_RGB)
			throw new UserError(source + " is RGB; a label image must be 8-bit, 16-bit or 32-bit with one class index per pixel.");
		return LabelConversion.toLabels(toVolume(imp), source);
	}

	/** A 32-bit image (a hyperstack when the volume has several channels) calibrated in mm. */
	public static ImagePlus fromVolume(Volume volume, String title) {
		int[] s = volume.shape();
		int plane = s[0] * s[1];
		int channels = volume.channels();
		float[] data = volume.data();
		ImageStack stack = new ImageStack(s[0], s[1]);
		// ImageJ orders hyperstack planes channel-fastest; the volume stores each channel as one block
		for (int z = 0; z < s[2]; z++)
			for (int c = 0; c < channels; c++) {
				float[] pixels = new float[plane];
				System.arraycopy(data, (int) (c * volume.voxelsPerChannel()) + z * plane, pixels, 0, plane);
				stack.addSlice(null, pixels);
			}
		ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(channels, s[2], 1);
		if (channels > 1) imp.setOpenAsHyperStack(true);
		imp.setCalibration(calibrationOf(volume.geometry()));
		setNiftiHeader(imp, volume.geometry());
		imp.resetDisplayRange();
		return imp;
	}

	/** An 8-bit image of class indices calibrated in mm, displayed from 0 to the largest class. */
	public static ImagePlus fromLabels(LabelVolume labels, String title) {
		int[] s = labels.shape();
		int plane = s[0] * s[1];
		byte[] data = labels.data();
		ImageStack stack = new ImageStack(s[0], s[1]);
		for (int z = 0; z < s[2]; z++) {
			byte[] pixels = new byte[plane];
			System.arraycopy(data, z * plane, pixels, 0, plane);
			stack.addSlice(null, pixels);
		}
		ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(1, s[2], 1);
		imp.setCalibration(calibrationOf(labels.geometry()));
		setNiftiHeader(imp, labels.geometry());
		// class indices are tiny numbers: this display range makes them visible without changing them
		imp.setDisplayRange(0, Math.max(1, labels.maxLabel()));
		return imp;
	}

	/** The NIfTI-1 header an image carries (see {@link #NIFTI_HEADER}), or null. */
	public static byte[] niftiHeader(ImagePlus imp) {
		String text = imp.getProp(NIFTI_HEADER);
		if (text == null || text.isBlank()) return null;
		try {
			return Base64.getDecoder().decode(text.trim());
		} catch (IllegalArgumentException e) {
			return null; // edited by hand: the image is then treated as one without a header
		}
	}

	/** Puts the geometry's NIfTI header on the image, or removes a header the image had when the geometry has none. */
	public static void setNiftiHeader(ImagePlus imp, Geometry geometry) {
		byte[] header = geometry.niftiHeader();
		imp.setProp(NIFTI_HEADER, header == null ? null : Base64.getEncoder().encodeToString(header));
	}

	private static void copyPlane(Object pixels, Calibration cal, float[] out, int offset) {
		// only 8/16-bit images carry a calibration function; a 32-bit image's values are already physical
		boolean calibrated = cal.calibrated() && !(pixels instanceof float[]);
		if (pixels instanceof byte[] b) {
			for (int i = 0; i < b.length; i++) out[offset + i] = calibrated ? (float) cal.getCValue(b[i] & 0xff) : b[i] & 0xff;
		}
		else if (pixels instanceof short[] s) {
			for (int i = 0; i < s.length; i++) out[offset + i] = calibrated ? (float) cal.getCValue(s[i] & 0xffff) : s[i] & 0xffff;
		}
		else if (pixels instanceof float[] f) System.arraycopy(f, 0, out, offset, f.length);
		else throw new IllegalStateException("unexpected ImageJ pixel array " + pixels.getClass());
	}

	private static void copyRgb(int[] pixels, float[] out, int offset, long perChannel) {
		for (int i = 0; i < pixels.length; i++) {
			int p = pixels[i];
			out[offset + i] = (p >> 16) & 0xff;
			out[(int) (perChannel + offset + i)] = (p >> 8) & 0xff;
			out[(int) (2 * perChannel + offset + i)] = p & 0xff;
		}
	}

	/** Pixel size in mm; an uncalibrated image (unit "pixel") gets its pixel sizes as they are, normally 1. */
	static double[] spacingOf(Calibration cal) {
		double toMm = millimetresPer(cal.getUnit());
		double[] raw = { cal.pixelWidth, cal.pixelHeight, cal.pixelDepth };
		double[] s = new double[3];
		for (int i = 0; i < 3; i++) s[i] = raw[i] > 0 && Double.isFinite(raw[i]) ? raw[i] * toMm : 1;
		return s;
	}

	private static Calibration calibrationOf(Geometry g) {
		double[] s = g.spacing();
		Calibration cal = new Calibration();
		cal.pixelWidth = s[0];
		cal.pixelHeight = s[1];
		cal.pixelDepth = s[2];
		cal.setUnit(UNIT);
		return cal;
	}

	private static double millimetresPer(String unit) {
		if (unit == null) return 1;
		return switch (unit.trim().toLowerCase(Locale.ROOT)) {
			case "nm", "nanometer", "nanometers", "nanometre", "nanometres" -> 1e-6;
			case "µm", "μm", "um", "micron", "microns", "micrometer", "micrometers", "micrometre", "micrometres" -> 1e-3;
			case "cm", "centimeter", "centimeters", "centimetre", "centimetres" -> 10;
			case "m", "meter", "meters", "metre", "metres" -> 1000;
			case "inch", "inches", "in" -> 25.4;
			// mm, pixel and unknown units: the numbers are used as they are
			default -> 1;
		};
	}
}
