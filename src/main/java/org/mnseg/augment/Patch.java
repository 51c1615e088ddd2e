package org.mnseg.augment;

/**
 * One training patch.
 *
 * @param image    intensities in the C-order tensor layout [C, Z, Y, X] (X fastest), ready for a network input
 * @param labels   class index per voxel [Z, Y, X] (unsigned bytes), or null for an unlabeled patch
 * @param shape    {x, y, z}
 * @param channels number of image channels C
 */
public record Patch(float[] image, byte[] labels, int[] shape, int channels) {

	public Patch {
		long voxels = (long) shape[0] * shape[1] * shape[2];
		if (image.length != voxels * channels)
			throw new IllegalArgumentException("image has " + image.length + " values, shape and channels need " + voxels * channels);
		if (labels != null && labels.length != voxels)
			throw new IllegalArgumentException("labels have " + labels.length + " values, shape needs " + voxels);
	}

	/** Voxels per channel. */
	public int voxels() {
		return shape[0] * shape[1] * shape[2];
	}
}
