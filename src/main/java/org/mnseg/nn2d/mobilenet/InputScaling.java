package org.mnseg.nn2d.mobilenet;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;

/**
 * How a (normalised) slice is scaled before it enters a pretrained 2-D network. M&N's reference code feeds the slice
 * as it is; the other modes bring a slice in [0, 1] to the range the network was trained on.
 */
public enum InputScaling {
	/** The slice as it is (reference code). */
	NONE("none"),
	/** ImageNet statistics: (x - mean_c) / std_c with mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225). */
	IMAGENET("imagenet"),
	/** The TensorFlow models' own range: [0, 1] to [-1, 1]. */
	SIGNED_UNIT("signed_unit");

	private static final float[] MEAN = { 0.485f, 0.456f, 0.406f };
	private static final float[] STD = { 0.229f, 0.224f, 0.225f };

	private final String key;

	InputScaling(String key) {
		this.key = key;
	}

	/** The name used in configurations. */
	public String key() {
		return key;
	}

	public static InputScaling of(String key) {
		for (InputScaling s : values()) if (s.key.equals(key)) return s;
		throw new UserError("Unknown input_scaling '" + key + "': use one of "
				+ Arrays.stream(values()).map(InputScaling::key).collect(Collectors.joining(", ")));
	}

	/** Scales a N x 3 x H x W array; the result lands in x's manager. */
	NDArray apply(NDArray x) {
		switch (this) {
			case IMAGENET: {
				NDArray mean = x.getManager().create(MEAN).reshape(1, 3, 1, 1);
				NDArray std = x.getManager().create(STD).reshape(1, 3, 1, 1);
				return x.sub(mean).div(std);
			}
			case SIGNED_UNIT:
				return x.mul(2).sub(1);
			default:
				return x;
		}
	}
}
