package org.mnseg.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Linear resizing of one axis of a tensor, as a multiplication by a small interpolation matrix (out x in, two
 * non-zero weights per row). Bilinear and trilinear resizing are separable, so they are one call per axis. Exact,
 * differentiable (the backward pass is a matrix product too) and independent of the engine's resize kernels. DJL
 * has no trilinear kernel; for the UNet's upsampling these products took about a third of the time of DJL's 2-D
 * kernel plus a depth pass built from slices, and about 1.25 times PyTorch's native trilinear kernel.
 */
public final class LinearResize {
	private LinearResize() {}

	/** How an output sample maps back to input coordinates. */
	public enum Mode {
		/** PyTorch align_corners=False (also TF half_pixel_centers=True): src = (dst + 0.5) * in / out - 0.5, clamped at 0. */
		HALF_PIXEL,
		/** align_corners=True: src = dst * (in - 1) / (out - 1). */
		ALIGN_CORNERS,
		/** TensorFlow legacy (align_corners=False, half_pixel_centers=False): src = dst * in / out. */
		ASYMMETRIC
	}

	/** Resizes axis {@code axis} of x to {@code out} samples; the result and its intermediates land in x's manager. */
	public static NDArray along(NDArray x, int axis, int out, Mode mode) {
		long[] dims = x.getShape().getShape().clone(); // DJL hands out the shape's own array
		int in = (int) dims[axis];
		long before = 1, after = 1;
		for (int a = 0; a < axis; a++) before *= dims[a];
		for (int a = axis + 1; a < dims.length; a++) after *= dims[a];
		dims[axis] = out;
		NDArray r = engineOwned(x.getManager(), matrix(in, out, mode), new Shape(out, in));
		// the last axis: rows times R^T; any other: R times each (in x after) block, broadcast over the leading axes
		NDArray resized = after == 1 ? x.reshape(before, in).matMul(r.transpose()) : r.matMul(x.reshape(before, in, after));
		return resized.reshape(new Shape(dims));
	}

	/** The out x in interpolation matrix of one axis, row-major (rows sum to 1). */
	static float[] matrix(int in, int out, Mode mode) {
		float[] r = new float[out * in];
		for (int o = 0; o < out; o++) {
			double src = switch (mode) {
				case HALF_PIXEL -> Math.max(0, (o + 0.5) * in / out - 0.5);
				case ALIGN_CORNERS -> out == 1 ? 0 : o * (double) (in - 1) / (out - 1);
				case ASYMMETRIC -> o * (double) in / out;
			};
			int i0 = Math.min((int) Math.floor(src), in - 1);
			int i1 = Math.min(i0 + 1, in - 1);
			double f = src - i0;
			r[o * in + i0] += (float) (1 - f);
			r[o * in + i1] += (float) f;
		}
		return r;
	}

	/**
	 * An array whose memory the engine owns. DJL's create(float[]) wraps a Java buffer that is freed once its handle
	 * is closed and collected, but autograd keeps the matrices for the backward pass: a caller that closes a scratch
	 * manager before backward would otherwise leave backward reading freed memory.
	 */
	private static NDArray engineOwned(NDManager m, float[] values, Shape shape) {
		NDArray wrapped = m.create(values, shape);
		NDArray owned = wrapped.duplicate();
		wrapped.close();
		return owned;
	}
}
