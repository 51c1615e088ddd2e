package org.mnseg.nn2d.segformer;

import org.mnseg.nn.AdaptableLayer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * SegFormer's Mix-FFN: dense1 (C -> rC), a 3x3 depthwise convolution on the token image (which gives the encoder its
 * positional information), exact (erf) GELU, dense2 (rC -> C). GELU comes after the depthwise convolution, as in
 * Hugging Face's {@code SegformerMixFFN}.
 */
final class MixFfn {
	private final AdaptableLayer dense1;
	private final Conv depthwise;
	private final AdaptableLayer dense2;

	MixFfn(ParamSet params, String name, int channels, int hidden, double std) {
		dense1 = params.linear(name + ".dense1", channels, hidden, std);
		depthwise = new Conv(params, name + ".dwconv.dwconv", hidden, hidden, 3, 1, 1, hidden, std);
		dense2 = params.linear(name + ".dense2", hidden, channels, std);
	}

	NDArray apply(NDArray x, long h, long w, boolean training) {
		return TensorScope.scoped(x, in -> {
			NDArray expanded = dense1.apply(in, training);
			NDArray mixed = TensorScope.toTokens(depthwise.apply(TensorScope.toImage(expanded, h, w)));
			// DJL's gelu is torch.nn.functional.gelu with approximate='none', i.e. x * Phi(x) via erf
			return dense2.apply(Activation.gelu(mixed), training);
		});
	}
}
