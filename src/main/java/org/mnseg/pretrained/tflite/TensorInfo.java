package org.mnseg.pretrained.tflite;

import java.util.Arrays;

/** One tensor of a TFLite subgraph: name, shape (TFLite's NHWC / OHWI order), element type, buffer and quantisation. */
public final class TensorInfo {
	private final int index;
	private final String name;
	private final int[] shape;
	private final TensorType type;
	private final int buffer;
	private final Quantization quantization;

	TensorInfo(int index, String name, int[] shape, TensorType type, int buffer, Quantization quantization) {
		this.index = index;
		this.name = name;
		this.shape = shape;
		this.type = type;
		this.buffer = buffer;
		this.quantization = quantization;
	}

	public int index() {
		return index;
	}

	public String name() {
		return name;
	}

	public int[] shape() {
		return shape.clone();
	}

	public int dim(int axis) {
		return shape[axis];
	}

	public int rank() {
		return shape.length;
	}

	public long size() {
		long n = 1;
		for (int d : shape) n *= d;
		return n;
	}

	/** Null for an element type this reader does not know. */
	public TensorType type() {
		return type;
	}

	/** Index into the model's buffers; buffer 0 is the empty sentinel (activations have no data). */
	public int buffer() {
		return buffer;
	}

	public Quantization quantization() {
		return quantization;
	}

	@Override
	public String toString() {
		return name + Arrays.toString(shape) + " " + type;
	}
}
