package org.mnseg.nn2d.segformer;

import org.mnseg.nn.AdaptableLayer;
import org.mnseg.nn.EngineScalar;

import ai.djl.ndarray.NDArray;

/**
 * SegFormer's multi-head self-attention with spatial reduction: queries come from every token, keys and values from
 * the tokens after a k = s, stride s convolution and a LayerNorm (s = sr_ratio; none when s = 1), which divides the
 * attention's cost by s^2. Head h owns channels h*d .. h*d+d-1; scores are scaled by 1/sqrt(d).
 */
final class EfficientSelfAttention {
	private final int heads;
	private final AdaptableLayer query;
	private final AdaptableLayer key;
	private final AdaptableLayer value;
	private final Conv reduction;
	private final Norm reductionNorm;
	private final AdaptableLayer output;

	/** @param name module path of the attention, e.g. {@code segformer.encoder.block.0.0.attention} */
	EfficientSelfAttention(ParamSet params, String name, int channels, int heads, int srRatio, double std) {
		this.heads = heads;
		String self = name + ".self";
		query = params.linear(self + ".query", channels, channels, std);
		key = params.linear(self + ".key", channels, channels, std);
		value = params.linear(self + ".value", channels, channels, std);
		if (srRatio > 1) {
			reduction = new Conv(params, self + ".sr", channels, channels, srRatio, srRatio, 0, 1, std);
			reductionNorm = new Norm(params, self + ".layer_norm", channels);
		} else {
			reduction = null;
			reductionNorm = null;
		}
		output = params.linear(name + ".output.dense", channels, channels, std);
	}

	/** @param x tokens B x N x C of an h x w image */
	NDArray apply(NDArray x, long h, long w, boolean training) {
		return TensorScope.scoped(x, in -> {
			long[] s = in.getShape().getShape();
			long b = s[0];
			long n = s[1];
			long c = s[2];
			long d = c / heads;
			NDArray context = in;
			if (reduction != null)
				context = reductionNorm.apply(TensorScope.toTokens(reduction.apply(TensorScope.toImage(in, h, w))));
			long m = context.getShape().get(1);
			NDArray q = query.apply(in, training).reshape(b, n, heads, d).transpose(0, 2, 1, 3);
			NDArray kT = key.apply(context, training).reshape(b, m, heads, d).transpose(0, 2, 3, 1);
			NDArray v = value.apply(context, training).reshape(b, m, heads, d).transpose(0, 2, 1, 3);
			NDArray scores = q.matMul(kT);
			NDArray probabilities = scores.div(EngineScalar.of(scores, (float) Math.sqrt(d))).softmax(-1);
			NDArray attended = probabilities.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, c);
			return output.apply(attended, training);
		});
	}
}
