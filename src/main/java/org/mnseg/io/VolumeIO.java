package org.mnseg.io;

import org.mnseg.util.InputFiles;
import org.mnseg.imagej.TiffIO;
import java.nio.file.Path;

import org.mnseg.data.LabelVolume;
import org.mnseg.data.NonFiniteVoxels;
import org.mnseg.data.Volume;
import org.mnseg.util.UserError;

/**
 * One entry point for volume files, choosing the format by extension: NIfTI-1 ({@code .nii}, {@code .nii.gz}),
 * HDF5 ({@code .h5}, {@code .hdf5}; read only, datasets {@code image} and {@code label}) and TIFF stacks
 * ({@code .tif}, {@code .tiff}). Every failure a user can cause is a {@link UserError} naming the path.
 */
public final class VolumeIO {
	private VolumeIO() {}

	/**
	 * Reads an intensity volume (several channels, last, where the file has them). A NaN or infinite voxel is a
	 * UserError naming the file and how many there are: every image that training, segmentation or export reads comes
	 * through here, and one such voxel turns normalisation, and so everything after it, into NaN.
	 */
	public static Volume readImage(Path file) {
		return readImage(file, null);
	}

	/** {@link #readImage(Path)}, but NaN and infinite voxels become {@code replacement} (none: they are refused). */
	public static Volume readImage(Path file, Float replacement) {
		Volume v = switch (formatFor(file, false)) {
			case NIFTI -> NiftiIO.read(file);
			case HDF5 -> Hdf5IO.readImage(file);
			case TIFF -> TiffIO.readImage(file);
		};
		NonFiniteVoxels.requireFinite(v, file.toString(), replacement);
		return v;
	}

	/** The number of voxels (all channels) of an image file, read from its header only, never its voxel data. */
	public static long voxelCount(Path file) {
		return switch (formatFor(file, false)) {
			case NIFTI -> NiftiIO.voxelCount(file);
			case HDF5 -> Hdf5IO.voxelCount(file);
			case TIFF -> TiffIO.voxelCount(file);
		};
	}

	/**
	 * The voxel grid of a volume file: from the header alone for NIfTI; HDF5 and TIFF files are read whole (their
	 * readers have no header-only path yet).
	 */
	public static VolumeGrid readGrid(Path file) {
		if (formatFor(file, false) == VolumeFormat.NIFTI) return NiftiIO.readGrid(file);
		Volume v = readImage(file);
		return new VolumeGrid(v.shape(), v.channels(), v.geometry().spacing());
	}

	/**
	 * Reads a label map: one class index (0..255) per voxel. Labels stored as floats are rounded; negative,
	 * non-finite or too large values are a UserError.
	 */
	public static LabelVolume readLabels(Path file) {
		return switch (formatFor(file, false)) {
			case NIFTI -> NiftiIO.readLabels(file);
			case HDF5 -> Hdf5IO.readLabels(file);
			case TIFF -> TiffIO.readLabels(file);
		};
	}

	/** Writes a label map (uint8 NIfTI or 8-bit TIFF), atomically. */
	public static void writeLabels(LabelVolume labels, Path file) {
		switch (formatFor(file, true)) {
			case NIFTI -> NiftiIO.writeLabels(labels, file);
			case TIFF -> TiffIO.writeLabels(labels, file, baseName(file));
			case HDF5 -> throw new IllegalStateException("HDF5 is read-only"); // excluded by formatFor
		}
	}

	/** Writes a float volume such as a probability map (float32 NIfTI or 32-bit TIFF), atomically. */
	public static void writeImage(Volume image, Path file) {
		switch (formatFor(file, true)) {
			case NIFTI -> NiftiIO.writeImage(image, file);
			case TIFF -> TiffIO.writeImage(image, file, baseName(file));
			case HDF5 -> throw new IllegalStateException("HDF5 is read-only");
		}
	}

	/** The file name without folder and without a known volume extension: {@code a/case_01.nii.gz} gives {@code case_01}. */
	public static String baseName(Path file) {
		return baseName(file.getFileName() == null ? "" : file.getFileName().toString());
	}

	/** A file name (or an image title) without a known volume extension: {@code case_01.nii.gz} gives {@code case_01}. */
	public static String baseName(String name) {
		return name.substring(0, name.length() - VolumeFormat.extensionOf(name).length());
	}

	/** Whether the name has an extension this class reads (the file need not exist). */
	public static boolean isVolumeFile(Path file) {
		return VolumeFormat.of(file) != null;
	}

	private static VolumeFormat formatFor(Path file, boolean writing) {
		VolumeFormat format = VolumeFormat.of(file);
		if (format == null)
			throw new UserError("Cannot " + (writing ? "write " : "read ") + file + ": unknown file type. Use one of "
				+ VolumeFormat.allExtensions(writing) + ".");
		if (writing && !format.writable)
			throw new UserError("Cannot write " + file + ": writing " + format + " is not supported. Use one of "
				+ VolumeFormat.allExtensions(true) + ".");
		if (!writing) InputFiles.requireReadable(file);
		return format;
	}
}
