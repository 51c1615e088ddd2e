package org.mnseg.nn;

import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The segmentation losses as the M&N reference code computes them, on logits N x C x spatial (2-D or 3-D) and
 * target probabilities of the same shape (one-hot labels or soft pseudo-labels). Each returns a scalar in the
 * logits' manager, differentiable with respect to the logits; targets are treated as constants (no gradient flows
 * into them, even if they come from a network that records one).
 */
public final class Losses {
	/** Lower bound of the Dice denominator, as in the reference code. */
	public static final float DICE_DENOMINATOR_MIN = 1e-6f;

	private Losses() {
	}

	/**
	 * The reference code's "CE": {@code F.kl_div(log_softmax(logits, 1), target, reduction='mean')}, i.e. the mean
	 * over ALL N*C*voxels elements of {@code target * (log target - log_softmax(logits))}, with 0 log 0 = 0. Equals
	 * cross-entropy / C minus the target's entropy / C.
	 */
	public static NDArray klDiv(NDArray logits, NDArray target) {
		checkShapes(logits, target);
		return Ops.scoped(logits, (x, scratch) -> {
			NDArray t = constant(target, scratch);
			NDArray logP = x.logSoftmax(1);
			// Where the target is 0 its log is replaced by anything finite: 0 * finite = 0, as xlogy does.
			NDArray logT = t.maximum(Float.MIN_NORMAL).log();
			return logT.sub(logP).mul(t).mean();
		});
	}

	/**
	 * V-Net squared Dice loss on softmax probabilities p: per channel c, pooled over the batch and all voxels,
	 * {@code dice_c = 2 sum(p t) / max(sum(p^2) + sum(t^2), 1e-6)}; background included, no smoothing; the loss is
	 * {@code 1 - mean_c dice_c}.
	 */
	public static NDArray squaredDice(NDArray logits, NDArray target) {
		checkShapes(logits, target);
		long channels = logits.getShape().get(1);
		return Ops.scoped(logits, (x, scratch) -> {
			NDArray t = constant(target, scratch);
			NDArray p = x.softmax(1);
			NDArray intersection = perChannelSum(p.mul(t), channels);
			NDArray denominator = perChannelSum(p.square(), channels).add(perChannelSum(t.square(), channels));
			// engine-owned scalars: see EngineScalar (these factors are read again by backward)
			NDArray dice = intersection.mul(EngineScalar.of(intersection, 2f))
					.div(denominator.maximum(EngineScalar.of(denominator, DICE_DENOMINATOR_MIN)));
			return dice.mean().neg().add(1f);
		});
	}

	/** Cross-entropy with probability targets: mean over N*voxels of {@code -sum_c target * log_softmax(logits)}. */
	public static NDArray crossEntropy(NDArray logits, NDArray target) {
		checkShapes(logits, target);
		long channels = logits.getShape().get(1);
		return Ops.scoped(logits,
				(x, scratch) -> {
					NDArray sum = x.logSoftmax(1).mul(constant(target, scratch)).sum();
					return sum.div(EngineScalar.of(sum, -(float) (x.size() / channels)));
				});
	}

	/**
	 * One-hot encoding of integer class labels N x spatial into float32 N x numClasses x spatial, in the labels'
	 * manager.
	 *
	 * @throws UserError if a label is negative or not below numClasses
	 */
	public static NDArray oneHot(NDArray labels, int numClasses) {
		if (numClasses < 1)
			throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
		if (labels.getDataType().isFloating())
			throw new IllegalArgumentException("oneHot needs integer labels, got " + labels.getDataType());
		return Ops.scoped(labels, (l, scratch) -> {
			NDArray asLong = l.toType(DataType.INT64, false);
			long min = asLong.min().getLong();
			long max = asLong.max().getLong();
			if (min < 0 || max >= numClasses)
				throw new UserError("A label map holds class " + (min < 0 ? min : max) + " but the model has "
						+ numClasses + " classes (0.." + (numClasses - 1) + "): check the label files or set the number "
						+ "of classes to match");
			// DJL appends the class axis last; move it to position 1.
			NDArray last = asLong.oneHot(numClasses, DataType.FLOAT32);
			int dims = last.getShape().dimension();
			int[] order = new int[dims];
			order[0] = 0;
			order[1] = dims - 1;
			for (int i = 2; i < dims; i++)
				order[i] = i - 1;
			return last.transpose(order);
		});
	}

	/**
	 * The target cut from any autograd graph (a teacher's soft prediction must not receive gradients), as a handle in
	 * the scratch manager so that everything computed from it lands there and not in the target's manager.
	 */
	private static NDArray constant(NDArray target, NDManager scratch) {
		NDArray detached = target.stopGradient();
		detached.attach(scratch);
		return detached;
	}

	/** Sums N x C x spatial over everything but the channel axis: a vector of C values. */
	private static NDArray perChannelSum(NDArray x, long channels) {
		// DJL's multi-axis reductions are unreliable on PyTorch: bring channels first and reduce one flat axis.
		return x.swapAxes(0, 1).reshape(channels, -1).sum(new int[] { 1 });
	}

	private static void checkShapes(NDArray logits, NDArray target) {
		Shape s = logits.getShape();
		if (s.dimension() < 3)
			throw new IllegalArgumentException("logits must be N x C x spatial, got " + s);
		if (!s.equals(target.getShape()))
			throw new IllegalArgumentException("logits " + s + " and target " + target.getShape() + " differ in shape");
	}
}
