package org.mnseg.metrics;

/**
 * Exact Euclidean distance transform of a 3-D binary image with anisotropic voxel spacing: for every voxel, the
 * distance from its centre to the centre of the nearest feature voxel.
 * <p>
 * The squared distance separates into a sum over axes, so it is computed as three one-dimensional passes (X, then
 * Y, then Z). Each pass replaces the values f along one line by {@code min_p ((x_q - x_p)^2 + f(p))}, the lower
 * envelope of parabolas rooted at every voxel, which the algorithm of Felzenszwalb and Huttenlocher ("Distance
 * transforms of sampled functions", 2012) finds in time linear in the line length. Positions x are in the units of
 * the spacing, so the result is exact for any spacing, not an approximation. Total cost is O(voxels).
 */
public final class DistanceTransform {
	private DistanceTransform() {}

	/**
	 * Distances to the nearest feature voxel.
	 *
	 * @param feature X-fastest flags, true where a voxel is a feature
	 * @param shape   {x, y, z}
	 * @param spacing voxel size along x, y, z (use {1, 1, 1} for distances in voxels)
	 * @return distances in the unit of the spacing; {@link Double#POSITIVE_INFINITY} everywhere when no voxel is a
	 *         feature
	 */
	public static double[] euclidean(boolean[] feature, int[] shape, double[] spacing) {
		double[] d = squaredEuclidean(feature, shape, spacing);
		for (int i = 0; i < d.length; i++) d[i] = Math.sqrt(d[i]);
		return d;
	}

	/** Squared distances to the nearest feature voxel; see {@link #euclidean}. */
	public static double[] squaredEuclidean(boolean[] feature, int[] shape, double[] spacing) {
		Grid.requireLength(feature.length, shape, "feature image");
		Grid.requireSpacing(spacing);
		double[] f = new double[feature.length];
		for (int i = 0; i < f.length; i++) f[i] = feature[i] ? 0 : Double.POSITIVE_INFINITY;

		int nx = shape[0], ny = shape[1], nz = shape[2];
		LineEnvelope line = new LineEnvelope(Math.max(nx, Math.max(ny, nz)));
		// X lines: start x + nx*(y + ny*z) with x = 0, stride 1
		for (int yz = 0; yz < ny * nz; yz++) line.transform(f, yz * nx, 1, nx, spacing[0]);
		// Y lines: start x + nx*ny*z, stride nx
		for (int z = 0; z < nz; z++)
			for (int x = 0; x < nx; x++) line.transform(f, x + nx * ny * z, nx, ny, spacing[1]);
		// Z lines: start x + nx*y, stride nx*ny
		for (int xy = 0; xy < nx * ny; xy++) line.transform(f, xy, nx * ny, nz, spacing[2]);
		return f;
	}

	/** The one-dimensional pass, with work buffers reused across lines. */
	private static final class LineEnvelope {
		private final double[] in, out;
		/** Voxel positions of the parabolas in the lower envelope, left to right. */
		private final int[] vertex;
		/** boundary[k] .. boundary[k+1] is the range (physical units) where parabola k is lowest. */
		private final double[] boundary;

		LineEnvelope(int maxLength) {
			in = new double[maxLength];
			out = new double[maxLength];
			vertex = new int[maxLength];
			boundary = new double[maxLength + 1];
		}

		void transform(double[] f, int start, int stride, int n, double step) {
			for (int i = 0; i < n; i++) in[i] = f[start + i * stride];
			int top = -1;
			for (int q = 0; q < n; q++) {
				// an infinite value (no feature seen yet on this line) is never below the envelope
				if (in[q] == Double.POSITIVE_INFINITY) continue;
				double xq = q * step;
				double cross = Double.NEGATIVE_INFINITY;
				while (top >= 0) {
					int p = vertex[top];
					double xp = p * step;
					// where the parabola rooted at q starts to be lower than the one rooted at p; written as
					// midpoint + offset rather than (f_q + xq^2 - f_p - xp^2) / 2(xq - xp) to avoid cancellation
					cross = (xq + xp) / 2 + (in[q] - in[p]) / (2 * (xq - xp));
					if (cross > boundary[top]) break;
					top--; // that parabola is never lowest: drop it
					cross = Double.NEGATIVE_INFINITY;
				}
				top++;
				vertex[top] = q;
				boundary[top] = cross;
			}
			if (top < 0) return; // nothing finite on this line: values stay infinite
			boundary[top + 1] = Double.POSITIVE_INFINITY;
			int k = 0;
			for (int q = 0; q < n; q++) {
				double xq = q * step;
				while (boundary[k + 1] < xq) k++;
				double dx = (q - vertex[k]) * step;
				out[q] = dx * dx + in[vertex[k]];
			}
			for (int i = 0; i < n; i++) f[start + i * stride] = out[i];
		}
	}
}
