package org.mnseg.fiji;

import java.nio.file.Path;

import org.mnseg.data.LabelConversion;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.io.NiftiIO;
import org.mnseg.io.VolumeIO;
import org.mnseg.util.UserError;

import ij.ImagePlus;

/**
 * NIfTI-1 files as ImageJ images, through the core's reader and writer: an opened image holds exactly the voxels the
 * command line reads from the file (same voxel order: the file's i, j, k are ImageJ's x, y and slice; no flip), with
 * its spacing as calibration in mm and its header kept on the image ({@link ImagePlusConverter#NIFTI_HEADER}), so
 * that results computed from it are saved on the same grid and orientation.
 */
public final class NiftiImages {
	private NiftiImages() {}

	/** What a save wrote. {@code keptHeader}: written with the source's header (orientation), not a plain one. */
	public record Saved(Path file, boolean labels, boolean keptHeader) {}

	/**
	 * Opens a {@code .nii} or {@code .nii.gz} file, titled with its file name. A single-channel volume whose values
	 * are all whole numbers from 0 to 255 (a label map, or an 8-bit image) opens as an 8-bit image, anything else as
	 * 32-bit; both hold the file's values unchanged. A 4-D file opens as a hyperstack of channels.
	 */
	public static ImagePlus open(Path file) {
		if (!NiftiIO.isNiftiName(file))
			throw new UserError(file.getFileName() + " is not a NIfTI file: choose a .nii or .nii.gz file.");
		Volume volume = NiftiIO.read(file);
		String title = file.getFileName().toString();
		if (volume.channels() == 1 && fitsEightBits(volume.data()))
			return ImagePlusConverter.fromLabels(LabelConversion.toLabels(volume, file), title);
		return ImagePlusConverter.fromVolume(volume, title);
	}

	/**
	 * Saves an image as NIfTI-1 ({@code .nii.gz} compresses). An 8-bit single-channel image (a label image) is written
	 * as uint8, anything else as float32 with the calibrated values. An image that came from a NIfTI file (or was
	 * computed from one, like M&amp;N Segment's label image) keeps that file's header when its size is unchanged;
	 * otherwise the header is a plain one with the calibration's spacing. The file is replaced atomically.
	 */
	public static Saved save(ImagePlus imp, Path file) {
		if (!NiftiIO.isNiftiName(file))
			throw new UserError("Save as NIfTI needs a file name ending in .nii.gz (compressed) or .nii, not " + file.getFileName() + ".");
		boolean labels = imp.getType() == ImagePlus.GRAY8 && imp.getNChannels() == 1;
		boolean kept;
		if (labels) {
			LabelVolume l = ImagePlusConverter.toLabels(imp);
			kept = NiftiIO.keepsSourceHeader(l.geometry(), l.shape());
			VolumeIO.writeLabels(l, file);
		}
		else {
			Volume v = ImagePlusConverter.toVolume(imp);
			kept = NiftiIO.keepsSourceHeader(v.geometry(), v.shape());
			VolumeIO.writeImage(v, file);
		}
		return new Saved(file, labels, kept);
	}

	private static boolean fitsEightBits(float[] values) {
		for (float v : values)
			if (!(v >= 0 && v <= 255 && v == Math.rint(v))) return false;
		return true;
	}
}
