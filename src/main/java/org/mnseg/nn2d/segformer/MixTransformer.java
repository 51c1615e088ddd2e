package org.mnseg.nn2d.segformer;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;

/**
 * SegFormer's hierarchical encoder (MiT). Stage s: an overlapping patch embedding (convolution with kernel k,
 * stride s, padding k/2, then LayerNorm) to tokens, {@code depths[s]} transformer layers, a final LayerNorm, and the
 * tokens reshaped to an image that feeds the next stage.
 *
 * <p>Parameters are created in Hugging Face's state_dict order: all patch embeddings, then all layers, then the
 * stage norms.
 */
final class MixTransformer {
	private final SegFormerConfig config;
	private final List<Conv> patchConvs = new ArrayList<>();
	private final List<Norm> patchNorms = new ArrayList<>();
	private final List<List<EncoderLayer>> layers = new ArrayList<>();
	private final List<Norm> stageNorms = new ArrayList<>();

	/** A stage's output as tokens (B x HW x C) and as an image (B x C x H x W). */
	record StageOutput(NDArray tokens, NDArray image) {
		long height() {
			return image.getShape().get(2);
		}

		long width() {
			return image.getShape().get(3);
		}
	}

	MixTransformer(ParamSet params, SegFormerConfig config, double std) {
		this.config = config;
		String prefix = "segformer.encoder.";
		for (int s = 0; s < config.stages(); s++) {
			int in = s == 0 ? config.numChannels : config.hiddenSizes[s - 1];
			int k = config.patchSizes[s];
			String name = prefix + "patch_embeddings." + s;
			patchConvs.add(new Conv(params, name + ".proj", in, config.hiddenSizes[s], k, config.strides[s], k / 2, 1, std));
			patchNorms.add(new Norm(params, name + ".layer_norm", config.hiddenSizes[s]));
		}
		// Stochastic depth grows linearly over all layers, as torch.linspace(0, drop_path_rate, sum(depths)).
		int total = 0;
		for (int d : config.depths)
			total += d;
		int index = 0;
		for (int s = 0; s < config.stages(); s++) {
			List<EncoderLayer> stage = new ArrayList<>();
			for (int j = 0; j < config.depths[s]; j++, index++) {
				double rate = total > 1 ? config.dropPathRate * index / (total - 1) : 0;
				stage.add(new EncoderLayer(params, prefix + "block." + s + "." + j, config.hiddenSizes[s],
						config.numHeads[s], config.srRatios[s], config.mlpRatios[s], rate, std));
			}
			layers.add(stage);
		}
		for (int s = 0; s < config.stages(); s++)
			stageNorms.add(new Norm(params, prefix + "layer_norm." + s, config.hiddenSizes[s]));
	}

	/** @param x B x numChannels x H x W; every stage's output lands in x's manager */
	List<StageOutput> apply(NDArray x, boolean training) {
		List<StageOutput> outputs = new ArrayList<>();
		NDArray image = x;
		for (int s = 0; s < config.stages(); s++) {
			final int stage = s;
			NDArray tokens = TensorScope.scoped(image, in -> {
				NDArray embedded = patchConvs.get(stage).apply(in);
				return patchNorms.get(stage).apply(TensorScope.toTokens(embedded));
			});
			long h = (image.getShape().get(2) + 2 * (config.patchSizes[s] / 2) - config.patchSizes[s]) / config.strides[s] + 1;
			long w = (image.getShape().get(3) + 2 * (config.patchSizes[s] / 2) - config.patchSizes[s]) / config.strides[s] + 1;
			for (EncoderLayer layer : layers.get(s)) {
				NDArray next = layer.apply(tokens, h, w, training);
				tokens.close();
				tokens = next;
			}
			NDArray normed = stageNorms.get(s).apply(tokens);
			tokens.close();
			image = TensorScope.toImage(normed, h, w);
			outputs.add(new StageOutput(normed, image));
		}
		return outputs;
	}
}
