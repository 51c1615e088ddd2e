package org.mnseg.nn;

import java.util.List;

/**
 * A network that fine-tuning strategies can adapt: it says which part each of its parameters belongs to and which
 * dense layers carry LoRA adapters. The networks know their own structure, so strategies never guess from names.
 *
 * <p>Implemented by the pretrained 2-D networks; the 3-D UNet, trained from scratch, is not fine-tunable.
 */
public interface FineTunable extends Network {
	/** Where a parameter sits in the network. */
	enum Part {
		/** The pretrained feature extractor (SegFormer's MiT, the MobileNetV2 backbone). */
		ENCODER,
		/** Layers between encoder and head (SegFormer's all-MLP decoder, DeepLab's ASPP and decoder, a UNet decoder). */
		DECODER,
		/** M&N's segmentation head, always newly initialised. */
		HEAD,
		/**
		 * Never trained by any strategy: running statistics, and pretrained parameters the segmentation output does
		 * not depend on (an original classifier kept for exactness checks).
		 */
		FIXED
	}

	/**
	 * The part of one of {@link #params()}.
	 *
	 * @throws IllegalArgumentException for a parameter that is not one of this network's
	 */
	Part part(Param param);

	/** Whether a parameter is the scale or shift of a normalisation layer (LayerNorm, BatchNorm affine). */
	boolean isNormalization(Param param);

	/**
	 * Whether a parameter is a bias: every network here names biases {@code <layer>.bias}, as PyTorch does, and the
	 * reference code's LoRA setting ({@code bias="all"}) selects them by that name as well.
	 */
	default boolean isBias(Param param) {
		return param.name().endsWith(".bias");
	}

	/**
	 * Whether the decoder comes with pretrained weights. A decoder that is newly initialised (a UNet decoder on an
	 * ImageNet encoder) is trained in full even by the LoRA strategy, like the head: freezing random weights would
	 * only cripple it.
	 */
	boolean hasPretrainedDecoder();

	/** The dense layers that carry LoRA adapters, in a stable order. */
	List<AdaptableLayer> loraTargets();
}
