package org.mnseg.nn2d.segformer;

import org.mnseg.nn.EngineScalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * One transformer layer of a stage: x + Attn(LN1(x)), then x + MixFFN(LN2(x)) (pre-norm residuals). In training each
 * residual branch is dropped per sample with this layer's drop-path (stochastic depth) rate, scaled by 1/keep as in
 * Hugging Face's {@code SegformerDropPath}; in evaluation drop path is the identity.
 */
final class EncoderLayer {
	private final Norm norm1;
	private final EfficientSelfAttention attention;
	private final Norm norm2;
	private final MixFfn ffn;
	private final float dropPath;

	EncoderLayer(ParamSet params, String name, int channels, int heads, int srRatio, int mlpRatio, double dropPath,
			double std) {
		norm1 = new Norm(params, name + ".layer_norm_1", channels);
		attention = new EfficientSelfAttention(params, name + ".attention", channels, heads, srRatio, std);
		norm2 = new Norm(params, name + ".layer_norm_2", channels);
		ffn = new MixFfn(params, name + ".mlp", channels, channels * mlpRatio, std);
		this.dropPath = (float) dropPath;
	}

	NDArray apply(NDArray x, long h, long w, boolean training) {
		return TensorScope.scoped(x, in -> {
			NDArray afterAttention = in.add(dropPath(attention.apply(norm1.apply(in), h, w, training), training));
			return afterAttention.add(dropPath(ffn.apply(norm2.apply(afterAttention), h, w, training), training));
		});
	}

	private NDArray dropPath(NDArray branch, boolean training) {
		if (!training || dropPath == 0f)
			return branch;
		float keep = 1f - dropPath;
		// floor(keep + U[0,1)) is 1 with probability keep: one draw per sample
		NDArray mask = branch.getManager().randomUniform(0f, 1f, new Shape(branch.getShape().get(0), 1, 1)).add(keep)
				.floor();
		return branch.mul(mask).div(EngineScalar.of(branch, keep));
	}
}
