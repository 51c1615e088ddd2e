package org.mnseg.nn2d.segformer;

import java.util.ArrayList;
import java.util.List;

import org.mnseg.nn.AdaptableLayer;
import org.mnseg.nn.EngineScalar;
import org.mnseg.nn.LinearResize;
import org.mnseg.nn2d.Resize2d;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;

/**
 * SegFormer's all-MLP decoder: each stage's tokens are mapped to D channels by a linear layer ({@code linear_c.i}),
 * resized bilinearly (align_corners=False) to the first stage's size, concatenated last stage first, fused by a 1x1
 * convolution without bias, batch-normalised and passed through ReLU. Hugging Face's classifier (dropout, then a 1x1
 * convolution to the labels) is kept apart: M&N replaces it by its own head.
 */
final class DecodeHead {
	private static final String PREFIX = "decode_head.";

	private final List<AdaptableLayer> stageMaps = new ArrayList<>();
	private final AdaptableLayer fuse;
	private final DecoderBatchNorm batchNorm;

	DecodeHead(ParamSet params, SegFormerConfig config, double std) {
		int d = config.decoderHiddenSize;
		for (int i = 0; i < config.stages(); i++)
			stageMaps.add(params.linear(PREFIX + "linear_c." + i + ".proj", config.hiddenSizes[i], d, std));
		fuse = params.pointwise(PREFIX + "linear_fuse", config.stages() * d, d, false, std);
		batchNorm = new DecoderBatchNorm(params, PREFIX + "batch_norm", d);
	}

	/** The classifier Hugging Face puts after the fused features; created in its own parameter set. */
	static AdaptableLayer classifier(ParamSet params, int decoderSize, int labels, double std) {
		return params.pointwise(PREFIX + "classifier", decoderSize, labels, true, std);
	}

	DecoderBatchNorm batchNorm() {
		return batchNorm;
	}

	/** The fused features, D x (first stage size), after BN and ReLU; lands in the stages' manager. */
	NDArray fuse(List<MixTransformer.StageOutput> stages, boolean training) {
		NDArray first = stages.get(0).image();
		NDManager home = first.getManager();
		int h = (int) stages.get(0).height();
		int w = (int) stages.get(0).width();
		try (NDManager scratch = home.newSubManager()) {
			NDList maps = new NDList();
			for (int i = stages.size() - 1; i >= 0; i--) { // Hugging Face concatenates last stage first
				MixTransformer.StageOutput stage = stages.get(i);
				NDArray tokens = stage.tokens();
				tokens.tempAttach(scratch);
				NDArray mapped = TensorScope.toImage(stageMaps.get(i).apply(tokens, training), stage.height(), stage.width());
				maps.add(Resize2d.bilinear(mapped, h, w, LinearResize.Mode.HALF_PIXEL));
			}
			NDArray fused = fuse.apply(NDArrays.concat(maps, 1), training);
			NDArray normed = batchNorm.apply(fused, training);
			NDArray out = normed.maximum(EngineScalar.of(normed, 0f));
			out.attach(home);
			return out;
		}
	}
}
