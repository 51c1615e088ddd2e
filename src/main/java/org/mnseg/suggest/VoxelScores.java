package org.mnseg.suggest;

/**
 * The per-voxel measures, from softmax probabilities as {@link org.mnseg.inference.Segmentation} holds them (one array
 * per class, each over the volume). Each is in [0, 1], so that they can be averaged and combined.
 */
public final class VoxelScores {
	private VoxelScores() {}

	/**
	 * How differently two models see each voxel: the total variation distance of their class distributions, half the
	 * sum over classes of |p - q| (the probability mass they put on different classes).
	 * <p>
	 * Why this and not the symmetric KL divergence: it is bounded, so one voxel where a model is saturated (a probability
	 * near 0, where KL grows without bound) cannot outweigh the rest of a volume; for two classes it is simply
	 * |p_fg - q_fg|. Why all classes and not the mean over foreground classes: a voxel the models give to two different
	 * foreground classes counts as fully disputed, instead of being diluted by the classes neither predicts there.
	 */
	public static float[] disagreement(float[][] p, float[][] q) {
		if (p.length != q.length || p[0].length != q[0].length)
			throw new IllegalArgumentException("the two models' probabilities differ in shape: " + p.length + " x " + p[0].length + " and " + q.length + " x "
				+ q[0].length);
		int n = p[0].length;
		float[] d = new float[n];
		for (int k = 0; k < p.length; k++) {
			float[] pk = p[k], qk = q[k];
			for (int i = 0; i < n; i++) d[i] += Math.abs(pk[i] - qk[i]);
		}
		for (int i = 0; i < n; i++) d[i] = Math.min(1f, 0.5f * d[i]);
		return d;
	}

	/** How unsure a model is of each voxel: the entropy of its class distribution divided by ln K (1: all classes equally likely). */
	public static float[] uncertainty(float[][] p) {
		int n = p[0].length;
		float[] h = new float[n];
		double norm = Math.log(p.length);
		for (int i = 0; i < n; i++) {
			double s = 0;
			for (float[] pk : p) {
				double v = pk[i];
				if (v > 0) s -= v * Math.log(v);
			}
			h[i] = (float) Math.min(1.0, Math.max(0.0, s / norm));
		}
		return h;
	}

	/** The voxel-wise mean of two maps. */
	public static float[] mean(float[] a, float[] b) {
		float[] m = new float[a.length];
		for (int i = 0; i < m.length; i++) m[i] = 0.5f * (a[i] + b[i]);
		return m;
	}
}
