package org.mnseg.metrics;

/**
 * The surface of a binary mask as the metrics define it: foreground voxels with at least one background
 * 6-neighbour (face neighbour), where voxels outside the image count as background. This is what
 * {@code mask ^ binary_erosion(mask, 6-connected structure)} gives in scipy (border value 0), as medpy uses.
 */
public final class Surface {
	private Surface() {}

	/**
	 * @param mask  X-fastest foreground flags
	 * @param shape {x, y, z}
	 * @return X-fastest flags, true on surface voxels
	 */
	public static boolean[] of(boolean[] mask, int[] shape) {
		Grid.requireLength(mask.length, shape, "mask");
		int nx = shape[0], ny = shape[1], nz = shape[2];
		int sliceSize = nx * ny;
		boolean[] surface = new boolean[mask.length];
		int i = 0;
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++, i++) {
					if (!mask[i]) continue;
					surface[i] = x == 0 || x == nx - 1 || y == 0 || y == ny - 1 || z == 0 || z == nz - 1
						|| !mask[i - 1] || !mask[i + 1]
						|| !mask[i - nx] || !mask[i + nx]
						|| !mask[i - sliceSize] || !mask[i + sliceSize];
				}
		return surface;
	}
}
