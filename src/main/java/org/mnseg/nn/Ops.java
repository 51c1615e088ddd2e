package org.mnseg.nn;

import java.util.function.BiFunction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * Functional network operations that DJL lacks or gets wrong on 5-D tensors, matching PyTorch's definitions.
 * Layout is N x C x D x H x W (2-D ops: N x C x H x W). Every op is differentiable through DJL autograd and
 * places its result, and any tensor it derives from a parameter, in the manager of the input {@code x}.
 */
public final class Ops {
	/** PyTorch's default epsilon for instance norm. */
	public static final float NORM_EPS = 1e-5f;

	private Ops() {
	}

	/**
	 * 3-D convolution with stride 1 and symmetric zero padding, as {@code F.conv3d(x, weight, bias, padding)}.
	 *
	 * @param weight Cout x Cin x kD x kH x kW
	 * @param bias Cout values, or null
	 */
	public static NDArray conv3d(NDArray x, NDArray weight, NDArray bias, int padding) {
		requireDims(x, 5, "conv3d");
		// The convolution's result lands in x's manager: x is the first operand.
		return Conv3d.conv3d(x, weight, bias, new Shape(1, 1, 1), new Shape(padding, padding, padding))
				.singletonOrThrow();
	}

	/**
	 * Instance normalisation without affine parameters, as {@code F.instance_norm(x, eps=1e-5)}: for every sample
	 * and channel, subtract the mean over the spatial dimensions and divide by sqrt(biased variance + eps). Works
	 * for any number of spatial dimensions.
	 */
	public static NDArray instanceNorm(NDArray x) {
		Shape shape = x.getShape();
		if (shape.dimension() < 3)
			throw new IllegalArgumentException("instanceNorm needs N x C x spatial, got " + shape);
		long rows = shape.get(0) * shape.get(1);
		// Instance norm is batch norm (batch statistics) of one sample whose channels are the N*C instances;
		// PyTorch implements it this way too, and the fused kernel is much faster than composed mean/var ops.
		// The running statistics it updates are throwaway; unit scale and zero shift are exact no-ops.
		return scoped(x, (in, scratch) -> {
			Shape perRow = new Shape(rows);
			NDArray normed = BatchNorm.batchNorm(in.reshape(1, rows, -1), scratch.zeros(perRow), scratch.ones(perRow),
					scratch.ones(perRow), scratch.zeros(perRow), 1, 0.1f, NORM_EPS, true).singletonOrThrow();
			return normed.reshape(shape);
		});
	}

	/** ReLU. */
	public static NDArray relu(NDArray x) {
		// the native relu: maximum(0f) would keep a Java-backed scalar that backward reads after it is freed (EngineScalar)
		return ai.djl.nn.Activation.relu(x);
	}

	/** 2 x 2 x 2 max pooling with stride 2 (odd sizes are floored), as {@code F.max_pool3d(x, 2)}. */
	public static NDArray maxPool3d2x(NDArray x) {
		requireDims(x, 5, "maxPool3d2x");
		return Pool.maxPool3d(x, new Shape(2, 2, 2), new Shape(2, 2, 2), new Shape(0, 0, 0), false);
	}

	/**
	 * Trilinear 2x upsampling with align_corners=false, as
	 * {@code F.interpolate(x, scale_factor=2, mode='trilinear', align_corners=False)}; any spatial size.
	 */
	public static NDArray upsampleTrilinear2x(NDArray x) {
		requireDims(x, 5, "upsampleTrilinear2x");
		// separable: one linear resize per axis
		return scoped(x, (in, scratch) -> upsample2x(upsample2x(upsample2x(in, 4), 3), 2));
	}

	private static NDArray upsample2x(NDArray x, int axis) {
		return LinearResize.along(x, axis, 2 * (int) x.getShape().get(axis), LinearResize.Mode.HALF_PIXEL);
	}

	/**
	 * Transposed 3-D convolution with kernel 2 and stride 2, as {@code F.conv_transpose3d(x, weight, bias, stride=2)},
	 * built as a 1 x 1 x 1 convolution to Cout*8 channels followed by a 3-D pixel shuffle.
	 *
	 * @param weight Cin x Cout x 2 x 2 x 2 (PyTorch's ConvTranspose3d layout)
	 * @param bias Cout values, or null
	 */
	public static NDArray convTranspose3dStride2(NDArray x, NDArray weight, NDArray bias) {
		requireDims(x, 5, "convTranspose3dStride2");
		Shape ws = weight.getShape();
		if (ws.dimension() != 5 || ws.get(2) != 2 || ws.get(3) != 2 || ws.get(4) != 2 || ws.get(0) != x.getShape().get(1))
			throw new IllegalArgumentException("convTranspose3dStride2 needs weight Cin x Cout x 2 x 2 x 2 with Cin = "
					+ x.getShape().get(1) + ", got " + ws);
		long cin = ws.get(0);
		long cout = ws.get(1);
		return scoped(x, (in, scratch) -> {
			// Output channel co*8 + a*4 + b*2 + c of the 1x1x1 conv holds kernel offset (a, b, c) of channel co.
			NDArray w = weight.transpose(1, 2, 3, 4, 0);
			w.attach(scratch); // derived from a parameter: must not stay with the parameters
			NDArray pointwise = conv3d(in, w.reshape(cout * 8, cin, 1, 1, 1), null, 0);
			Shape s = in.getShape();
			long n = s.get(0);
			long d = s.get(2);
			long h = s.get(3);
			long wd = s.get(4);
			NDArray shuffled = pointwise.reshape(n, cout, 2, 2, 2, d, h, wd).transpose(0, 1, 5, 2, 6, 3, 7, 4)
					.reshape(n, cout, 2 * d, 2 * h, 2 * wd);
			if (bias == null)
				return shuffled;
			NDArray b = bias.reshape(1, cout, 1, 1, 1);
			b.attach(scratch);
			return shuffled.add(b);
		});
	}

	/**
	 * Applies a composite op to x with every intermediate in a scratch manager, so that only the result joins x's
	 * manager. Closing intermediates early is safe for autograd, which keeps its own references to what backward
	 * needs, and it lowers peak memory on large volumes.
	 */
	public static NDArray scoped(NDArray x, BiFunction<NDArray, NDManager, NDArray> op) {
		NDManager home = x.getManager();
		try (NDManager scratch = home.newSubManager()) {
			x.tempAttach(scratch); // operations on x now land in scratch; x goes home when scratch closes
			NDArray result = op.apply(x, scratch);
			if (result == x)
				throw new IllegalStateException("scoped op must return a new array");
			result.attach(home);
			return result;
		}
	}

	private static void requireDims(NDArray x, int dims, String op) {
		if (x.getShape().dimension() != dims)
			throw new IllegalArgumentException(op + " needs a " + dims + "-D tensor, got " + x.getShape());
	}
}
