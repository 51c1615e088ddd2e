package org.mnseg.imagej;

import org.mnseg.data.LabelConversion;
import org.mnseg.util.InputFiles;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;

import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.UserError;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.TiffEncoder;
import ij.io.Opener;
import ij.io.TiffDecoder;

/**
 * TIFF stacks through ImageJ 1.x, without any window (safe headless): reading gives a volume with spacing from the
 * calibration and hyperstack channels last; label maps are written as 8-bit stacks calibrated in mm.
 */
public final class TiffIO {
	private static final String FORMAT = "TIFF";

	private TiffIO() {}

	/** Reads a stack (8, 16, 32-bit or RGB) as a volume; hyperstack channels and RGB components become channels. */
	public static Volume readImage(Path file) {
		Volume v = ImagePlusConverter.toVolume(open(file));
		return v.withGeometry(tidySpacing(v.geometry()));
	}

	/** Reads a single-channel stack of class indices (float values are rounded, see {@link LabelConversion}). */
	public static LabelVolume readLabels(Path file) {
		LabelVolume l = ImagePlusConverter.toLabels(open(file), file);
		return LabelVolume.wrap(l.data(), l.shape(), tidySpacing(l.geometry()));
	}

	/**
	 * The number of voxels (pixels times slices, times samples for RGB) from the TIFF directory alone, without
	 * decoding pixels.
	 */
	public static long voxelCount(Path file) {
		InputFiles.requireReadable(file);
		Path absolute = file.toAbsolutePath();
		FileInfo[] info;
		try {
			info = new TiffDecoder(absolute.getParent().toString() + java.io.File.separator, absolute.getFileName().toString()).getTiffInfo();
		}
		catch (java.io.IOException | RuntimeException e) {
			throw new UserError("Could not read " + file + " as " + FORMAT + ": " + e.getMessage() + ". The file may be truncated or not a TIFF file.", e);
		}
		if (info == null || info.length == 0) throw new UserError("Could not read " + file + " as " + FORMAT + ": it has no image directory.");
		FileInfo first = info[0];
		// ImageJ stacks describe all slices in one directory (nImages); other writers use one directory per slice
		long slices = Math.max(info.length, first.nImages);
		return (long) first.width * first.height * slices * Math.max(1, first.samplesPerPixel);
	}

	/** Writes an 8-bit TIFF stack titled {@code title} with the spacing as calibration in mm. */
	public static void writeLabels(LabelVolume labels, Path file, String title) {
		save(ImagePlusConverter.fromLabels(labels, title), file);
	}

	/** Writes a 32-bit TIFF stack (a hyperstack for several channels) titled {@code title}, spacing as calibration in mm. */
	public static void writeImage(Volume image, Path file, String title) {
		save(ImagePlusConverter.fromVolume(image, title), file);
	}

	private static ImagePlus open(Path file) {
		InputFiles.requireReadable(file);
		Path absolute = file.toAbsolutePath();
		// ImageJ reports failures through IJ.error; redirected, they go to the log instead of a dialog
		IJ.redirectErrorMessages();
		ImagePlus imp;
		try {
			imp = new Opener().openTiff(absolute.getParent().toString() + java.io.File.separator, absolute.getFileName().toString());
		}
		catch (RuntimeException e) {
			throw new UserError("Could not read " + file + " as " + FORMAT + ": " + e + ". The file may be truncated or not a TIFF file.", e);
		}
		if (imp == null) throw new UserError("Could not read " + file + " as " + FORMAT + ". The file may be truncated, compressed in a way ImageJ "
			+ "cannot read, or not a TIFF file; open it in Fiji and save it again with File > Save As > Tiff.");
		return imp;
	}

	/**
	 * Writes {@code imp} as ImageJ's File &gt; Save As &gt; Tiff does (calibration, display range, lookup table, Info and
	 * slice labels), atomically. ImageJ's encoder is called directly rather than through {@code FileSaver}, which
	 * reports a failed write as "false" and loses its reason: here a full disk is told as one.
	 */
	public static void save(ImagePlus imp, Path file) {
		FileInfo fi = imp.getFileInfo();
		fi.description = new FileSaver(imp).getDescriptionString();
		fi.info = imp.getInfoProperty();
		if (imp.getStackSize() > 1) fi.sliceLabels = imp.getStack().getSliceLabels();
		fi.properties = imp.getPropertiesAsArray();
		fi.overlay = FileSaver.getOverlay(imp);
		AtomicFiles.write(file, out -> new TiffEncoder(fi).write(out));
	}

	/**
	 * TIFF keeps x/y pixel size as a resolution fraction, so 1.5 mm comes back as 1.5000015; six significant digits
	 * undo that noise (scanner spacings such as 0.703125 mm have no more) and give back the spacing that was written.
	 */
	private static Geometry tidySpacing(Geometry g) {
		double[] s = g.spacing();
		for (int i = 0; i < 3; i++) s[i] = new BigDecimal(s[i]).round(new MathContext(6)).doubleValue();
		return new Geometry(s, g.niftiHeader());
	}
}
