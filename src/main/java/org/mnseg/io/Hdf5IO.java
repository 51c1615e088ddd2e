package org.mnseg.io;

import org.mnseg.data.LabelConversion;
import org.mnseg.util.InputFiles;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.util.UserError;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import io.jhdf.exceptions.HdfInvalidPathException;

/**
 * Reads 3-D volumes from HDF5 files as distributed with the 2018 left atrium (LA) challenge data in UA-MT and its
 * successors: dataset {@code image} (float32) and dataset {@code label} (uint8) of the same shape.
 * <p>
 * Axis convention: HDF5 axis 0 (the slowest-varying one on disk) is X, axis 1 is Y, axis 2 is Z. This is how those
 * arrays are used in Python (indexed {@code [x, y, z]}) and how NIfTI copies of the same cases (data set la2x) lay
 * them out; the files carry no spacing, so the challenge's isotropic 0.625 mm is assumed.
 */
public final class Hdf5IO {
	/** Voxel size of the LA challenge volumes (isotropic, mm); the HDF5 files do not store it. */
	public static final double LA_SPACING_MM = 0.625;
	public static final String IMAGE_DATASET = "image";
	public static final String LABEL_DATASET = "label";
	private static final String FORMAT = "HDF5";

	private Hdf5IO() {}

	/** Reads dataset {@code image}. */
	public static Volume readImage(Path file) {
		return readDataset(file, IMAGE_DATASET);
	}

	/** Reads dataset {@code label} as class indices. */
	public static LabelVolume readLabels(Path file) {
		return LabelConversion.toLabels(readDataset(file, LABEL_DATASET), file + " (dataset '" + LABEL_DATASET + "')");
	}

	/** The number of voxels of dataset {@code image}, from the file's metadata alone (no voxel data is read). */
	public static long voxelCount(Path file) {
		InputFiles.requireReadable(file);
		try (HdfFile hdf = new HdfFile(file)) {
			if (!(nodeOrNull(hdf, IMAGE_DATASET) instanceof Dataset data))
				throw new UserError(file + " has no dataset '" + IMAGE_DATASET + "'. Datasets in the file: " + datasetsIn(hdf) + ".");
			long n = 1;
			for (int d : data.getDimensions()) n *= d;
			return n;
		}
		catch (HdfException e) {
			throw new UserError("Could not read " + file + " as " + FORMAT + ": " + e.getMessage() + ".", e);
		}
	}

	/** Reads any 3-D numeric dataset (by its path inside the file) as a float volume with axes X, Y, Z. */
	public static Volume readDataset(Path file, String dataset) {
		InputFiles.requireReadable(file);
		try (HdfFile hdf = new HdfFile(file)) {
			Node node = nodeOrNull(hdf, dataset);
			if (!(node instanceof Dataset data))
				throw new UserError(file + " has no dataset '" + dataset + "'. Datasets in the file: " + datasetsIn(hdf)
					+ ". Expected the LA challenge layout: 'image' (float) and 'label' (uint8).");
			int[] dims = data.getDimensions();
			if (dims.length != 3)
				throw new UserError("Dataset '" + dataset + "' in " + file + " has " + dims.length + " axes (shape "
					+ NiftiIO.shapeText(dims) + "); a 3-D volume is expected.");
			float[] values = transposeToXFastest(toFloats(data.getDataFlat(), file, dataset), dims);
			return Volume.wrap(values, new long[] { dims[0], dims[1], dims[2] },
				new Geometry(new double[] { LA_SPACING_MM, LA_SPACING_MM, LA_SPACING_MM }, null));
		}
		catch (HdfException e) {
			throw new UserError("Could not read " + file + " as " + FORMAT + ": " + e.getMessage()
				+ ". The file may be truncated, not HDF5, or use a feature jHDF cannot read.", e);
		}
	}

	/**
	 * HDF5 stores [a][b][c] with the last index fastest; the volume wants X = a fastest. Element (x, y, z) sits at
	 * (x * b + y) * c + z on disk and at x + a * (y + b * z) in the volume.
	 */
	private static float[] transposeToXFastest(float[] cOrder, int[] dims) {
		int a = dims[0], b = dims[1], c = dims[2];
		float[] out = new float[cOrder.length];
		int i = 0;
		for (int x = 0; x < a; x++)
			for (int y = 0; y < b; y++) {
				int base = x + a * y;
				for (int z = 0; z < c; z++) out[base + a * b * z] = cOrder[i++];
			}
		return out;
	}

	private static float[] toFloats(Object flat, Path file, String dataset) {
		if (flat instanceof float[] f) return f;
		if (flat == null || !flat.getClass().isArray() || !flat.getClass().getComponentType().isPrimitive()
			|| flat instanceof boolean[] || flat instanceof char[])
			throw new UserError("Dataset '" + dataset + "' in " + file + " is not numeric (" + (flat == null ? "empty" : flat.getClass().getSimpleName())
				+ "); a numeric 3-D array is expected.");
		int n = Array.getLength(flat);
		float[] out = new float[n];
		// jHDF widens unsigned integers to the next larger Java type, so plain numeric conversion is right for all
		for (int i = 0; i < n; i++) out[i] = ((Number) Array.get(flat, i)).floatValue();
		return out;
	}

	private static Node nodeOrNull(HdfFile hdf, String path) {
		try {
			return hdf.getByPath(path);
		}
		catch (HdfInvalidPathException e) {
			return null;
		}
	}

	private static String datasetsIn(Group group) {
		List<String> names = new ArrayList<>();
		collectDatasets(group, names);
		return names.isEmpty() ? "none" : String.join(", ", names);
	}

	private static void collectDatasets(Group group, List<String> names) {
		for (Node n : group) {
			if (n instanceof Dataset) names.add(n.getPath().replaceFirst("^/", ""));
			else if (n instanceof Group g) collectDatasets(g, names);
		}
	}
}
