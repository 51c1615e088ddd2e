package org.mnseg.nn2d.segformer;

import org.mnseg.nn.Param;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * A spatial (k > 1) 2-D convolution with bias: the patch embeddings, the attention's spatial reduction and the
 * Mix-FFN's depthwise 3x3. Pointwise layers go through {@link org.mnseg.nn.AdaptableLayer} instead.
 */
final class Conv {
	private final Param weight;
	private final Param bias;
	private final int stride;
	private final int padding;
	private final int groups;

	/** A convolution from {@code in} to {@code out} channels; {@code groups == in == out} makes it depthwise. */
	Conv(ParamSet params, String name, int in, int out, int kernel, int stride, int padding, int groups, double std) {
		this.weight = params.normal(name + ".weight", new Shape(out, in / groups, kernel, kernel), std);
		this.bias = params.constant(name + ".bias", new Shape(out), 0f);
		this.stride = stride;
		this.padding = padding;
		this.groups = groups;
	}

	NDArray apply(NDArray x) {
		return Conv2d.conv2d(x, weight.array(), bias.array(), new Shape(stride, stride), new Shape(padding, padding),
				new Shape(1, 1), groups).singletonOrThrow();
	}
}
