package org.mnseg.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Runs a 2-D network on 3-D patches slice by slice along the depth axis (Z, the paper's D): N x C x Z x Y x X becomes
 * (N*Z) x C x Y x X, and the logits go back to N x K x Z x Y x X. This lets a 2-D model train on the same patches as
 * the 3-D model, label unlabeled patches for it, and segment whole volumes through the same sliding window.
 */
public final class SliceWise {
	private SliceWise() {}

	/** N x C x Z x Y x X to (N*Z) x C x Y x X. */
	public static NDArray toSlices(NDArray volumes) {
		Shape s = volumes.getShape();
		if (s.dimension() != 5) throw new IllegalArgumentException("expected N x C x Z x Y x X, got " + s);
		return volumes.transpose(0, 2, 1, 3, 4).reshape(s.get(0) * s.get(2), s.get(1), s.get(3), s.get(4));
	}

	/** (N*Z) x K x Y x X back to N x K x Z x Y x X. */
	public static NDArray fromSlices(NDArray slices, long n, long z) {
		Shape s = slices.getShape();
		return slices.reshape(n, z, s.get(1), s.get(2), s.get(3)).transpose(0, 2, 1, 3, 4);
	}

	/** Logits of any network on 3-D input: a 3-D network directly, a 2-D network slice by slice. */
	public static NDArray forward(Network net, NDArray volumes, boolean training) {
		if (net.spatialDims() == 3) return net.forward(volumes, training);
		Shape s = volumes.getShape();
		return fromSlices(net.forward(toSlices(volumes), training), s.get(0), s.get(2));
	}
}
