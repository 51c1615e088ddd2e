package org.mnseg.pretrained.tflite;

/** One operator of a subgraph: what it does, its input and output tensor indices (-1 = optional input left out). */
public final class OperatorInfo {
	private final int index;
	private final BuiltinOp op;
	private final int code;
	private final int[] inputs;
	private final int[] outputs;
	private final OpOptions options;

	OperatorInfo(int index, BuiltinOp op, int code, int[] inputs, int[] outputs, OpOptions options) {
		this.index = index;
		this.op = op;
		this.code = code;
		this.inputs = inputs;
		this.outputs = outputs;
		this.options = options;
	}

	/** Position in the subgraph's execution order. */
	public int index() {
		return index;
	}

	public BuiltinOp op() {
		return op;
	}

	/** The raw builtin code (useful in messages for {@link BuiltinOp#OTHER}). */
	public int code() {
		return code;
	}

	public int input(int i) {
		return inputs[i];
	}

	public int inputCount() {
		return inputs.length;
	}

	public int output(int i) {
		return outputs[i];
	}

	public int outputCount() {
		return outputs.length;
	}

	public OpOptions options() {
		return options;
	}
}
