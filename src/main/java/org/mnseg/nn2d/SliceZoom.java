package org.mnseg.nn2d;

import org.mnseg.nn.LinearResize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Runs a 2-D network on enlarged slices. Networks pretrained on natural images expect objects tens to hundreds of
 * pixels wide; a 32 x 48 hippocampus slice reaches their stride-16 features as a 2 x 3 grid. Enlarging the slice
 * by an integer factor before the network and averaging the logits back over each factor x factor block gives the
 * pretrained features more room, at factor^2 times the cost. Both steps are differentiable.
 */
public final class SliceZoom {
	private SliceZoom() {}

	/** The network option that sets the factor, in {@code --options2d} and in a bundle's network config. */
	public static final String OPTION = "slice_zoom";

	/** N x C x H x W to N x C x (H*factor) x (W*factor), bilinear with half-pixel centres; in x's manager. */
	public static NDArray enlarge(NDArray x, int factor) {
		Shape s = x.getShape();
		return Resize2d.bilinear(x, (int) s.get(2) * factor, (int) s.get(3) * factor, LinearResize.Mode.HALF_PIXEL);
	}

	/** The mean of each factor x factor block: N x C x H x W to N x C x (H/factor) x (W/factor). */
	public static NDArray shrink(NDArray x, int factor) {
		Shape s = x.getShape();
		long h = s.get(2) / factor;
		long w = s.get(3) / factor;
		// one axis at a time: the PyTorch engine's mean takes a single axis
		NDArray blocks = x.reshape(s.get(0), s.get(1), h, factor, w, factor);
		NDArray alongW = blocks.mean(new int[] { 5 });
		NDArray result = alongW.mean(new int[] { 3 });
		blocks.close();
		alongW.close();
		return result;
	}

	/** The side multiple an input needs so that side * factor is a multiple of {@code divisor}. */
	public static int inputDivisor(int divisor, int factor) {
		return divisor / gcd(divisor, factor);
	}

	private static int gcd(int a, int b) {
		return b == 0 ? a : gcd(b, a % b);
	}
}
