package org.mnseg.nn2d.segformer;

import org.mnseg.nn.Param;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/** LayerNorm over the last axis with eps 1e-5 (Hugging Face's {@code nn.LayerNorm(size)}). */
final class Norm {
	private final Param weight;
	private final Param bias;

	Norm(ParamSet params, String name, int size) {
		weight = params.constant(name + ".weight", new Shape(size), 1f);
		bias = params.constant(name + ".bias", new Shape(size), 0f);
	}

	NDArray apply(NDArray x) {
		return LayerNorm.layerNorm(x, new Shape(weight.array().size()), weight.array(), bias.array(),
				SegFormerConfig.LAYER_NORM_EPS).singletonOrThrow();
	}
}
