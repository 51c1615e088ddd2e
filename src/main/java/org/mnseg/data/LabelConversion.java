package org.mnseg.data;

import java.nio.file.Path;

import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.util.UserError;

/**
 * Turns voxel values read from any format into class indices. Labels stored as floats (some public data sets do
 * this) are rounded to the nearest integer when they lie within 0.001 of it; values that cannot be a class index
 * (fractions, negative, non-finite or too large ones) are a UserError naming the file.
 */
public final class LabelConversion {
	/** The largest class index a {@link LabelVolume} can hold. */
	public static final int MAX_LABEL = 255;
	/** How far from a whole number a label stored as a float may be (float rounding of a class index) and still be rounded. */
	static final float FRACTION_TOLERANCE = 1e-3f;

	private LabelConversion() {}

	/** Class indices from a single-channel volume read from {@code source} (used in messages only). */
	public static LabelVolume toLabels(Volume values, Object source) {
		if (values.channels() != 1)
			throw new UserError(source + " has " + values.channels() + " channels; a label image needs exactly one.");
		float[] v = values.data();
		byte[] labels = new byte[v.length];
		for (int i = 0; i < v.length; i++) {
			float f = v[i];
			if (!Float.isFinite(f) || f < 0 || f >= MAX_LABEL + 0.5f)
				throw new UserError(source + " is not a label image: voxel " + voxelText(i, values.shape()) + " has value " + f
					+ ", but labels must be class indices 0.." + MAX_LABEL + ". Check that you chose the label file, not the image.");
			int k = Math.round(f);
			// a value far from every whole number is no class index stored as a float, but a probability or an intensity
			if (Math.abs(f - k) > FRACTION_TOLERANCE)
				throw new UserError(source + " is not a label image: voxel " + voxelText(i, values.shape()) + " has value " + f
					+ ", which is not a whole number; labels must be class indices 0.." + MAX_LABEL + " (a probability map or an intensity image"
					+ " is not one). Check that you chose the label file, not the image.");
			labels[i] = (byte) k;
		}
		return LabelVolume.wrap(labels, values.shape(), values.geometry());
	}

	/** "(x, y, z)" of a flat X-fastest index. */
	public static String voxelText(long index, int[] shape) {
		long x = index % shape[0], y = index / shape[0] % shape[1], z = index / ((long) shape[0] * shape[1]);
		return "(" + x + ", " + y + ", " + z + ")";
	}
}
