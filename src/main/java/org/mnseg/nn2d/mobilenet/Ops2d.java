package org.mnseg.nn2d.mobilenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/** 2-D operations of the TensorFlow-derived networks, on N x C x H x W arrays; results land in x's manager. */
final class Ops2d {
	private Ops2d() {}

	/**
	 * Padding TensorFlow's SAME mode adds along one axis: the output has ceil(in / stride) samples and any odd
	 * excess goes AFTER the data (PyTorch's symmetric padding would shift stride-2 outputs by one pixel).
	 *
	 * @return {before, after}
	 */
	static int[] samePadding(int in, int kernel, int stride, int dilation) {
		int out = (in + stride - 1) / stride;
		int total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - in, 0);
		return new int[] { total / 2, total - total / 2 };
	}

	/**
	 * A 2-D convolution with TF SAME or VALID padding: symmetric padding goes to the convolution itself, an asymmetric
	 * one is applied explicitly first and the convolution then runs unpadded.
	 */
	static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int dilation, int groups, boolean same) {
		Shape w = weight.getShape();
		int kh = (int) w.get(2);
		int kw = (int) w.get(3);
		int[] ph = same ? samePadding((int) x.getShape().get(2), kh, stride, dilation) : new int[2];
		int[] pw = same ? samePadding((int) x.getShape().get(3), kw, stride, dilation) : new int[2];
		Shape strides = new Shape(stride, stride);
		Shape dilations = new Shape(dilation, dilation);
		if (ph[0] == ph[1] && pw[0] == pw[1])
			return Conv2d.conv2d(x, weight, bias, strides, new Shape(ph[0], pw[0]), dilations, groups).singletonOrThrow();
		// pad takes (last axis before, after, second-to-last before, after), like torch.nn.functional.pad
		NDArray padded = x.pad(new Shape(pw[0], pw[1], ph[0], ph[1]), 0);
		NDArray y = Conv2d.conv2d(padded, weight, bias, strides, new Shape(0, 0), dilations, groups).singletonOrThrow();
		padded.close();
		return y;
	}

	/** Mean over H and W, keeping them as 1 x 1 (DJL's mean reduces one axis at a time on PyTorch). */
	static NDArray globalMean(NDArray x) {
		Shape s = x.getShape();
		return x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).mean(new int[] { 2 }).reshape(s.get(0), s.get(1), 1, 1);
	}

	static NDArray relu6(NDArray x) {
		return x.clip(0, 6);
	}

	static NDArray relu(NDArray x) {
		return ai.djl.nn.Activation.relu(x);
	}
}
