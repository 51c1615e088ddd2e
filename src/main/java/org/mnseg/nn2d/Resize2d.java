package org.mnseg.nn2d;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear resizing of N x C x H x W to any size under the three coordinate conventions the supported networks use.
 * Implemented as two small interpolation matrices (out = R_h x R_w^T per channel), which is exact, differentiable
 * and independent of the engine's own resize kernels.
 */
public final class Resize2d {
	private Resize2d() {}

	/** How an output pixel maps back to input coordinates. */
	public enum Mode {
		/** PyTorch align_corners=False (also TF half_pixel_centers=True): src = (dst + 0.5) * in / out - 0.5, clamped at 0. */
		HALF_PIXEL,
		/** align_corners=True: src = dst * (in - 1) / (out - 1). */
		ALIGN_CORNERS,
		/** TensorFlow legacy (align_corners=False, half_pixel_centers=False): src = dst * in / out. */
		ASYMMETRIC
	}

	/** Resizes x (N x C x H x W) to outH x outW; the result lands in x's manager. */
	public static NDArray bilinear(NDArray x, int outH, int outW, Mode mode) {
		Shape s = x.getShape();
		int inH = (int) s.get(2);
		int inW = (int) s.get(3);
		// a copy that stays in the autograd graph (DJL's duplicate() detaches, which cut gradients here); adding a number
		// is safe where multiplying is not, see EngineScalar
		if (inH == outH && inW == outW) return x.add(0f);
		NDManager m = x.getManager();
		NDArray rh = engineOwned(m, matrix(inH, outH, mode), new Shape(outH, inH));
		NDArray rwT = engineOwned(m, matrix(inW, outW, mode), new Shape(outW, inW)).transpose();
		// (N*C*H) x W times W x outW, then rows: outH x H times (N*C) x H x outW
		NDArray alongW = x.reshape(-1, inW).matMul(rwT).reshape(s.get(0) * s.get(1), inH, outW);
		return rh.matMul(alongW).reshape(s.get(0), s.get(1), outH, outW);
	}

	/**
	 * An array whose memory the engine owns. DJL's create(float[]) wraps a Java buffer that is freed once its handle
	 * is closed and collected, but autograd keeps the matrices for the backward pass: a caller that closes a scratch
	 * manager before backward (SegFormer's decoder does) would otherwise leave backward reading freed memory.
	 */
	private static NDArray engineOwned(NDManager m, float[] values, Shape shape) {
		NDArray wrapped = m.create(values, shape);
		NDArray owned = wrapped.duplicate();
		wrapped.close();
		return owned;
	}

	/** The out x in interpolation matrix of one axis (rows sum to 1). */
	static float[] matrix(int in, int out, Mode mode) {
		float[] r = new float[out * in];
		for (int o = 0; o < out; o++) {
			double src;
			switch (mode) {
				case HALF_PIXEL:
					src = Math.max(0, (o + 0.5) * in / out - 0.5);
					break;
				case ALIGN_CORNERS:
					src = out == 1 ? 0 : o * (double) (in - 1) / (out - 1);
					break;
				default:
					src = o * (double) in / out;
			}
			int i0 = Math.min((int) Math.floor(src), in - 1);
			int i1 = Math.min(i0 + 1, in - 1);
			double f = src - i0;
			r[o * in + i0] += (float) (1 - f);
			r[o * in + i1] += (float) f;
		}
		return r;
	}
}
