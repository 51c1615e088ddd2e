package org.mnseg.metrics;

/**
 * Checks shared by the metric classes on a 3-D grid stored as one flat array, X fastest (index = x + X*(y + Y*z)).
 * These are programming checks (IllegalArgumentException); user-facing validation happens in {@link Evaluation}.
 */
final class Grid {
	private Grid() {}

	/** Number of voxels of a {x, y, z} shape, after checking it has three positive sizes. */
	static int voxels(int[] shape) {
		if (shape == null || shape.length != 3)
			throw new IllegalArgumentException("shape needs 3 sizes (x, y, z)");
		long n = 1;
		for (int s : shape) {
			if (s <= 0) throw new IllegalArgumentException("shape sizes must be positive, got " + s);
			n *= s;
		}
		if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("volume too large for one array: " + n + " voxels");
		return (int) n;
	}

	static void requireLength(int length, int[] shape, String what) {
		int n = voxels(shape);
		if (length != n)
			throw new IllegalArgumentException(what + " has " + length + " voxels, shape " + shape[0] + "x" + shape[1] + "x" + shape[2] + " needs " + n);
	}

	/** Spacing must be three positive finite numbers (millimetres along x, y, z). */
	static void requireSpacing(double[] spacing) {
		if (spacing == null || spacing.length != 3)
			throw new IllegalArgumentException("spacing needs 3 values (x, y, z)");
		for (double s : spacing)
			if (!(s > 0) || Double.isInfinite(s))
				throw new IllegalArgumentException("spacing values must be positive and finite, got " + s);
	}
}
