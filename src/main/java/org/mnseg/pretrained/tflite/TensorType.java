package org.mnseg.pretrained.tflite;

/** Element types of TFLite tensors (the schema's TensorType codes) that this reader handles. */
public enum TensorType {
	FLOAT32(0, 4), FLOAT16(1, 2), INT32(2, 4), UINT8(3, 1), INT64(4, 8), INT16(7, 2), INT8(9, 1);

	private final int code;
	private final int bytes;

	TensorType(int code, int bytes) {
		this.code = code;
		this.bytes = bytes;
	}

	/** Bytes per element. */
	public int bytes() {
		return bytes;
	}

	static TensorType of(int code) {
		for (TensorType t : values()) if (t.code == code) return t;
		return null;
	}
}
