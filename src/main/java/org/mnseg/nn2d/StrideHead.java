package org.mnseg.nn2d;

import java.util.List;
import java.util.SplittableRandom;

import org.mnseg.nn.Param;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The segmentation head M&N puts on a pretrained 2-D network (reference code): the network's decoder features at
 * stride s (its classifier removed) are concatenated with the input image sampled every s pixels, and a transposed
 * convolution with kernel s and stride s maps them to class logits at the input's resolution.
 *
 * <p>Because kernel equals stride, the transposed convolution is a 1x1 convolution to C*s*s channels followed by a
 * 2-D pixel shuffle (DJL has no 2-D transposed convolution). Its weight keeps PyTorch's ConvTranspose2d layout
 * [in, out, s, s], so weights convert either way.
 */
public final class StrideHead {
	private final int stride;
	private final int numClasses;
	private final Param weight;
	private final Param bias;

	/**
	 * @param prefix parameter name prefix, e.g. {@code head}
	 * @param featureChannels channels of the decoder features (the input's channels are added to them)
	 */
	public StrideHead(String prefix, int featureChannels, int inputChannels, int numClasses, int stride, NDManager manager, long seed) {
		this.stride = stride;
		this.numClasses = numClasses;
		int in = featureChannels + inputChannels;
		// PyTorch's ConvTranspose2d default: fan_in is computed from weight dim 1 (out) * k * k
		double bound = 1.0 / Math.sqrt((double) numClasses * stride * stride);
		SplittableRandom rng = new SplittableRandom(seed ^ 0x5EEDL ^ prefix.hashCode());
		float[] w = new float[in * numClasses * stride * stride];
		for (int i = 0; i < w.length; i++) w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
		float[] b = new float[numClasses];
		for (int i = 0; i < b.length; i++) b[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
		this.weight = new Param(prefix + ".weight", manager.create(w, new Shape(in, numClasses, stride, stride)));
		this.bias = new Param(prefix + ".bias", manager.create(b));
	}

	public List<Param> params() {
		return List.of(weight, bias);
	}

	public int stride() {
		return stride;
	}

	/**
	 * @param features N x F x H/s x W/s
	 * @param input N x Cin x H x W (H and W multiples of s)
	 * @return logits N x numClasses x H x W, in the input's manager
	 */
	public NDArray apply(NDArray features, NDArray input) {
		Shape in = input.getShape();
		long h = in.get(2) / stride;
		long w = in.get(3) / stride;
		if (in.get(2) % stride != 0 || in.get(3) % stride != 0)
			throw new IllegalArgumentException("slice size " + in.get(2) + "x" + in.get(3) + " must be a multiple of the head's stride " + stride);
		NDArray sampled = input.get(new NDIndex(":, :, ::" + stride + ", ::" + stride));
		NDArray x = NDArrays.concat(new ai.djl.ndarray.NDList(features, sampled), 1);
		long cin = weight.array().getShape().get(0);
		// [in, C, s, s] -> [C*s*s, in, 1, 1] for the equivalent 1x1 convolution
		// Every array derived from the weight must join the step's manager, the intermediate ones included.
		NDArray flat = weight.array().reshape(cin, (long) numClasses * stride * stride);
		flat.attach(input.getManager());
		NDArray w1 = flat.transpose().reshape((long) numClasses * stride * stride, cin, 1, 1);
		NDArray y = Conv2d.conv2d(x, w1).singletonOrThrow(); // N x C*s*s x h x w
		long n = in.get(0);
		// pixel shuffle: [N, C, s, s, h, w] -> [N, C, h, s, w, s] -> [N, C, H, W]
		NDArray out = y.reshape(n, numClasses, stride, stride, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, numClasses, h * stride, w * stride);
		NDArray b = bias.array().reshape(1, numClasses, 1, 1);
		b.attach(input.getManager());
		return out.add(b);
	}
}
