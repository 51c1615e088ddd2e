package org.mnseg.metrics;

/**
 * Metrics of one binary segmentation (one class: prediction == c against truth == c), as defined in the method
 * notes: Dice, Jaccard, HD95 (95th percentile, linear interpolation, of the surface distances of both directions
 * pooled), ASD (medpy {@code asd}: mean of the prediction-to-truth distances only) and ASSD (mean of both
 * directions pooled), each distance in voxels (unit spacing) and in millimetres (the given spacing).
 * <p>
 * Empty masks, where surface distances are undefined (medpy raises an error), follow {@link #EMPTY_POLICY}:
 * <ul>
 * <li>both empty: Dice 1, Jaccard 1, every distance 0 (the class is correctly absent);</li>
 * <li>exactly one empty: Dice 0, Jaccard 0, every distance set to {@link #worstCaseDistance} in its unit, the
 * length of the whole image's diagonal, which exceeds any distance between two voxels of the image. Means over
 * cases stay finite and a missed or hallucinated structure costs more than any real one.</li>
 * </ul>
 * The {@link ClassMetrics#empty()} flag says which side was empty.
 */
public final class SegmentationMetrics {
	/** One-line statement of the empty-mask policy, written into the JSON output beside the results. */
	public static final String EMPTY_POLICY = "both masks empty: dice 1, jaccard 1, distances 0; "
		+ "one mask empty: dice 0, jaccard 0, distances = image diagonal (sqrt of the sum over axes of (size*spacing)^2, "
		+ "in voxels or mm); the 'empty' field of each case's class names the empty side";

	private static final double[] UNIT = { 1, 1, 1 };

	private SegmentationMetrics() {}

	/**
	 * @param prediction X-fastest foreground flags of the prediction
	 * @param truth      X-fastest foreground flags of the ground truth
	 * @param shape      {x, y, z}
	 * @param spacing    voxel size in mm along x, y, z
	 */
	public static ClassMetrics compute(boolean[] prediction, boolean[] truth, int[] shape, double[] spacing) {
		Grid.requireLength(prediction.length, shape, "prediction");
		Grid.requireLength(truth.length, shape, "truth");
		Grid.requireSpacing(spacing);
		long predicted = 0, actual = 0, both = 0;
		for (int i = 0; i < prediction.length; i++) {
			if (prediction[i]) predicted++;
			if (truth[i]) actual++;
			if (prediction[i] && truth[i]) both++;
		}
		EmptySide empty = EmptySide.of(predicted == 0, actual == 0);
		switch (empty) {
		case BOTH:
			return new ClassMetrics(1, 1, 0, 0, 0, 0, 0, 0, empty);
		case PREDICTION:
		case TRUTH:
			double vox = worstCaseDistance(shape, UNIT), mm = worstCaseDistance(shape, spacing);
			return new ClassMetrics(0, 0, vox, vox, vox, mm, mm, mm, empty);
		default:
			break;
		}
		double dice = 2.0 * both / (predicted + actual);
		double jaccard = (double) both / (predicted + actual - both);
		boolean[] predictionSurface = Surface.of(prediction, shape);
		boolean[] truthSurface = Surface.of(truth, shape);
		SurfaceDistances vox = SurfaceDistances.between(predictionSurface, truthSurface, shape, UNIT);
		SurfaceDistances mm = isUnit(spacing) ? vox : SurfaceDistances.between(predictionSurface, truthSurface, shape, spacing);
		return new ClassMetrics(dice, jaccard, vox.hd95(), vox.asd(), vox.assd(), mm.hd95(), mm.asd(), mm.assd(), empty);
	}

	/**
	 * The distance used when one mask is empty: the length of the image's diagonal, {@code sqrt(sum_i (n_i *
	 * s_i)^2)}, in the unit of the spacing ({1, 1, 1} for voxels). It exceeds the distance between any two voxel
	 * centres of the image, so it is worse than any measurable result.
	 */
	public static double worstCaseDistance(int[] shape, double[] spacing) {
		Grid.voxels(shape);
		Grid.requireSpacing(spacing);
		double sum = 0;
		for (int i = 0; i < 3; i++) sum += (shape[i] * spacing[i]) * (shape[i] * spacing[i]);
		return Math.sqrt(sum);
	}

	private static boolean isUnit(double[] spacing) {
		return spacing[0] == 1 && spacing[1] == 1 && spacing[2] == 1;
	}
}
