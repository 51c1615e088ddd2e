package org.mnseg.pretrained.tflite;

/** TFLite's padding modes (schema codes SAME = 0, VALID = 1). */
public enum Padding {
	SAME, VALID;

	static Padding of(int code) {
		return code == 1 ? VALID : SAME;
	}
}
