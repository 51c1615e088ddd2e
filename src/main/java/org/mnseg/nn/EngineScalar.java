package org.mnseg.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A scalar operand for arithmetic that autograd differentiates.
 *
 * <p>Why: DJL's {@code x.mul(2f)}, {@code x.div(d)}, {@code x.maximum(0f)} wrap the number in a tensor over a Java
 * direct buffer ({@code torch::from_blob}) and close it at once. PyTorch keeps that tensor for the backward pass
 * (the factor of mul and div, the threshold of maximum), and once the JVM collects the buffer, backward reads freed
 * memory: gradients turn into garbage or NaN at random, depending on when the garbage collector runs. A scalar made
 * by the engine ({@code torch::full}) owns its memory, so autograd's reference keeps it valid.
 *
 * <p>Use {@code x.mul(EngineScalar.of(x, 2f))} wherever a gradient flows through a scalar multiplication, division,
 * maximum or minimum. Additions and subtractions of a number are safe (their backward does not read the number).
 */
public final class EngineScalar {
	private EngineScalar() {
	}

	/** A 0-dimensional float32 tensor holding {@code value}, owned by the engine, in {@code like}'s manager. */
	public static NDArray of(NDArray like, float value) {
		return like.getManager().full(new Shape(), value);
	}
}
