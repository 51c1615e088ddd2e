package org.mnseg.nn2d.segformer;

import java.util.function.Function;

import org.mnseg.nn.Ops;

import ai.djl.ndarray.NDArray;

/**
 * Token and image layouts of the encoder, and a scratch scope for composite layers.
 *
 * <p>Tokens are B x N x C with token index row * W + col (Hugging Face's {@code flatten(2).transpose(1, 2)});
 * images are B x C x H x W.
 */
final class TensorScope {
	private TensorScope() {
	}

	static NDArray toTokens(NDArray image) {
		long[] s = image.getShape().getShape();
		return image.reshape(s[0], s[1], s[2] * s[3]).transpose(0, 2, 1);
	}

	static NDArray toImage(NDArray tokens, long h, long w) {
		long[] s = tokens.getShape().getShape();
		return tokens.transpose(0, 2, 1).reshape(s[0], s[2], h, w);
	}

	/**
	 * Runs a composite layer with every intermediate in a scratch manager so that only the result joins x's manager:
	 * a deep encoder then does not hold all its temporaries until the caller's step ends. Autograd keeps its own
	 * references to what backward needs, so closing the handles early is safe.
	 */
	static NDArray scoped(NDArray x, Function<NDArray, NDArray> layer) {
		return Ops.scoped(x, (in, scratch) -> layer.apply(in));
	}

	/** A parameter-derived array made to live (and die) with the step's array {@code like}. */
	static NDArray withStep(NDArray derived, NDArray like) {
		derived.attach(like.getManager());
		return derived;
	}
}
