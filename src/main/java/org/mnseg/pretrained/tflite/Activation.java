package org.mnseg.pretrained.tflite;

/** Activation fused into an operator (schema ActivationFunctionType codes 0..5). */
public enum Activation {
	NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT;

	static Activation of(int code) {
		if (code < 0 || code >= values().length) throw new IllegalArgumentException("unknown fused activation code " + code);
		return values()[code];
	}
}
