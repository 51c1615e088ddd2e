package org.mnseg.pretrained.tflite;

/**
 * Affine quantisation of a tensor: real = scale * (q - zero_point), one (scale, zero point) pair per tensor or, for
 * per-channel quantisation, one per index along {@code quantizedDimension}.
 */
public final class Quantization {
	private final float[] scales;
	private final long[] zeroPoints;
	private final int quantizedDimension;

	Quantization(float[] scales, long[] zeroPoints, int quantizedDimension) {
		this.scales = scales;
		this.zeroPoints = zeroPoints;
		this.quantizedDimension = quantizedDimension;
	}

	/** True when the tensor carries scales (a float tensor has none). */
	public boolean present() {
		return scales.length > 0;
	}

	public boolean perChannel() {
		return scales.length > 1;
	}

	public float scale(int channel) {
		return scales[scales.length == 1 ? 0 : channel];
	}

	/** A missing zero point vector means zero (the schema allows omitting it for symmetric quantisation). */
	public long zeroPoint(int channel) {
		if (zeroPoints.length == 0) return 0;
		return zeroPoints[zeroPoints.length == 1 ? 0 : channel];
	}

	public int channels() {
		return scales.length;
	}

	public int quantizedDimension() {
		return quantizedDimension;
	}
}
