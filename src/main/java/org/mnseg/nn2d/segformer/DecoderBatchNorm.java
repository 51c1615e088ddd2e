package org.mnseg.nn2d.segformer;

import org.mnseg.nn.Param;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;

/**
 * The decode head's BatchNorm2d, behaving as PyTorch's in both modes. Evaluation normalises with the running
 * statistics. Training normalises with the batch's statistics and updates the running ones in place (momentum 0.1,
 * unbiased batch variance), as the reference code's {@code model.train()} does.
 *
 * <p>Why batch statistics in training: that is what the reference code fine-tunes with, and the pretrained running
 * statistics describe ADE20K features, not those of medical slices; batch statistics adapt the normalisation at
 * once, and the running statistics follow the new domain for inference. (Keeping the ADE20K statistics frozen
 * would leave the fused features mis-scaled until LoRA or the BN affine compensate.) Batches of slices are large
 * (every slice contributes H/4 x W/4 positions per channel), so the batch estimates are stable.
 *
 * <p>The running statistics are frozen {@link Param}s, so that bundles save them, and they are always used
 * detached: they never receive a gradient, so no optimiser moves them even if a strategy unfreezes every parameter.
 */
final class DecoderBatchNorm {
	/** PyTorch's momentum: the weight of the new batch in the running statistics. */
	static final float MOMENTUM = 0.1f;

	private final Param weight;
	private final Param bias;
	private final Param runningMean;
	private final Param runningVar;

	DecoderBatchNorm(ParamSet params, String name, int channels) {
		Shape shape = new Shape(channels);
		weight = params.constant(name + ".weight", shape, 1f);
		bias = params.constant(name + ".bias", shape, 0f);
		runningMean = params.buffer(name + ".running_mean", shape, 0f);
		runningVar = params.buffer(name + ".running_var", shape, 1f);
	}

	Param runningMean() {
		return runningMean;
	}

	Param runningVar() {
		return runningVar;
	}

	/** @param x B x C x H x W; in training, the running statistics are updated as a side effect */
	NDArray apply(NDArray x, boolean training) {
		// detach() shares storage, so PyTorch's in-place update of the running statistics reaches the parameters
		NDArray mean = TensorScope.withStep(runningMean.array().stopGradient(), x);
		NDArray var = TensorScope.withStep(runningVar.array().stopGradient(), x);
		// DJL's momentum is the weight of the old statistics (it hands 1 - momentum to PyTorch)
		return BatchNorm.batchNorm(x, mean, var, weight.array(), bias.array(), 1, 1f - MOMENTUM,
				SegFormerConfig.BATCH_NORM_EPS, training).singletonOrThrow();
	}
}
