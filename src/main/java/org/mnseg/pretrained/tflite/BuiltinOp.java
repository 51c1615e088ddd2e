package org.mnseg.pretrained.tflite;

/**
 * The TFLite builtin operators this project executes or skips, with their codes in the schema's BuiltinOperator
 * enumeration. Any other code reads as {@link #OTHER}.
 */
public enum BuiltinOp {
	ADD(0), AVERAGE_POOL_2D(1), CONCATENATION(2), CONV_2D(3), DEPTHWISE_CONV_2D(4), DEQUANTIZE(6), MAX_POOL_2D(17),
	MUL(18), RELU(19), RELU6(21), RESHAPE(22), RESIZE_BILINEAR(23), SOFTMAX(25), PAD(34), MEAN(40), SQUEEZE(43),
	ARG_MAX(56), QUANTIZE(114), OTHER(-1);

	private final int code;

	BuiltinOp(int code) {
		this.code = code;
	}

	public int code() {
		return code;
	}

	static BuiltinOp of(int code) {
		for (BuiltinOp op : values()) if (op.code == code) return op;
		return OTHER;
	}
}
