package org.mnseg.nn2d;

import org.mnseg.nn.LinearResize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear resizing of N x C x H x W to any size under the three coordinate conventions the supported networks use
 * ({@link LinearResize.Mode}): one linear resize along W, then along H.
 */
public final class Resize2d {
	private Resize2d() {}

	/** Resizes x (N x C x H x W) to outH x outW; the result lands in x's manager. */
	public static NDArray bilinear(NDArray x, int outH, int outW, LinearResize.Mode mode) {
		Shape s = x.getShape();
		int inH = (int) s.get(2);
		int inW = (int) s.get(3);
		// a copy that stays in the autograd graph (DJL's duplicate() detaches, which cut gradients here); adding a number
		// is safe where multiplying is not, see EngineScalar
		if (inH == outH && inW == outW) return x.add(0f);
		return LinearResize.along(LinearResize.along(x, 3, outW, mode), 2, outH, mode);
	}
}
