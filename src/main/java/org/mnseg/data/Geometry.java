package org.mnseg.data;

import java.util.Arrays;

/**
 * Where a volume's voxels lie: voxel spacing in millimetres along X, Y, Z, and, for volumes read from NIfTI,
 * the original 348-byte header so that a label image can be written back on the same grid and orientation.
 */
public final class Geometry {
	private final double[] spacing;
	private final byte[] niftiHeader;

	public Geometry(double[] spacing, byte[] niftiHeader) {
		if (spacing.length != 3) throw new IllegalArgumentException("spacing needs 3 values (x, y, z), got " + spacing.length);
		this.spacing = spacing.clone();
		this.niftiHeader = niftiHeader == null ? null : niftiHeader.clone();
	}

	/** Unit spacing, no header. */
	public static Geometry unit() {
		return new Geometry(new double[] { 1, 1, 1 }, null);
	}

	public double[] spacing() {
		return spacing.clone();
	}

	/** The NIfTI-1 header the volume was read with, or null. */
	public byte[] niftiHeader() {
		return niftiHeader == null ? null : niftiHeader.clone();
	}

	/**
	 * Spacings equal on every axis within a relative tolerance: headers store float32 (1e-5 apart at most), while a
	 * data set's description rounds (1% is the caller's choice there).
	 */
	public static boolean sameSpacing(double[] a, double[] b, double relativeTolerance) {
		if (a.length != b.length) return false;
		for (int i = 0; i < a.length; i++)
			if (Math.abs(a[i] - b[i]) > relativeTolerance * Math.max(Math.abs(a[i]), Math.abs(b[i]))) return false;
		return true;
	}

	@Override
	public String toString() {
		return "Geometry" + Arrays.toString(spacing);
	}
}
