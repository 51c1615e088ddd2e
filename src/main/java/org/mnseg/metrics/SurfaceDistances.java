package org.mnseg.metrics;

/**
 * Distances between two surfaces, in both directions: from every prediction-surface voxel to the nearest
 * truth-surface voxel, and from every truth-surface voxel to the nearest prediction-surface voxel (each in
 * X-fastest voxel order). Both surfaces must be non-empty.
 */
public final class SurfaceDistances {
	private final double[] predictionToTruth;
	private final double[] truthToPrediction;

	private SurfaceDistances(double[] predictionToTruth, double[] truthToPrediction) {
		this.predictionToTruth = predictionToTruth;
		this.truthToPrediction = truthToPrediction;
	}

	/**
	 * @param predictionSurface X-fastest surface flags of the prediction (see {@link Surface#of})
	 * @param truthSurface      X-fastest surface flags of the ground truth
	 * @param shape             {x, y, z}
	 * @param spacing           voxel size along x, y, z; {1, 1, 1} gives distances in voxels
	 */
	public static SurfaceDistances between(boolean[] predictionSurface, boolean[] truthSurface, int[] shape, double[] spacing) {
		Grid.requireLength(predictionSurface.length, shape, "prediction surface");
		Grid.requireLength(truthSurface.length, shape, "truth surface");
		Box box = Box.around(predictionSurface, truthSurface, shape);
		if (box == null) throw new IllegalArgumentException("both surfaces are empty");
		// Every feature and every query voxel lies in the box, so a transform of the box alone is exact and much
		// cheaper than one of the whole image when the structure is small.
		boolean[] pred = box.crop(predictionSurface);
		boolean[] truth = box.crop(truthSurface);
		double[] toTruth = DistanceTransform.euclidean(truth, box.shape, spacing);
		double[] toPred = DistanceTransform.euclidean(pred, box.shape, spacing);
		double[] predictionToTruth = sample(toTruth, pred);
		double[] truthToPrediction = sample(toPred, truth);
		if (predictionToTruth.length == 0 || truthToPrediction.length == 0)
			throw new IllegalArgumentException("surface distances need two non-empty surfaces");
		return new SurfaceDistances(predictionToTruth, truthToPrediction);
	}

	private static double[] sample(double[] distances, boolean[] where) {
		int count = 0;
		for (boolean b : where) if (b) count++;
		double[] out = new double[count];
		int k = 0;
		for (int i = 0; i < where.length; i++) if (where[i]) out[k++] = distances[i];
		return out;
	}

	/** Distances from each prediction-surface voxel to the nearest truth-surface voxel (a copy). */
	public double[] predictionToTruth() {
		return predictionToTruth.clone();
	}

	/** Distances from each truth-surface voxel to the nearest prediction-surface voxel (a copy). */
	public double[] truthToPrediction() {
		return truthToPrediction.clone();
	}

	/** 95th percentile (linear interpolation) of both directions pooled. */
	public double hd95() {
		return Stats.percentile(Stats.concat(predictionToTruth, truthToPrediction), 95);
	}

	/** medpy's {@code asd}: mean of the prediction-to-truth distances only. */
	public double asd() {
		return Stats.mean(predictionToTruth);
	}

	/** Symmetric average surface distance: mean of both directions pooled. */
	public double assd() {
		return Stats.mean(Stats.concat(predictionToTruth, truthToPrediction));
	}

	/** Axis-aligned bounding box of the voxels set in either of two flag images. */
	private static final class Box {
		final int[] min, shape;
		final int[] fullShape;

		private Box(int[] min, int[] max, int[] fullShape) {
			this.min = min;
			this.shape = new int[] { max[0] - min[0] + 1, max[1] - min[1] + 1, max[2] - min[2] + 1 };
			this.fullShape = fullShape;
		}

		/** The box, or null when neither image has a voxel set. */
		static Box around(boolean[] a, boolean[] b, int[] shape) {
			int[] min = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE };
			int[] max = { -1, -1, -1 };
			int i = 0;
			for (int z = 0; z < shape[2]; z++)
				for (int y = 0; y < shape[1]; y++)
					for (int x = 0; x < shape[0]; x++, i++) {
						if (!a[i] && !b[i]) continue;
						min[0] = Math.min(min[0], x);
						max[0] = Math.max(max[0], x);
						min[1] = Math.min(min[1], y);
						max[1] = Math.max(max[1], y);
						min[2] = Math.min(min[2], z);
						max[2] = Math.max(max[2], z);
					}
			return max[0] < 0 ? null : new Box(min, max, shape);
		}

		boolean[] crop(boolean[] full) {
			boolean[] out = new boolean[shape[0] * shape[1] * shape[2]];
			int k = 0;
			for (int z = 0; z < shape[2]; z++)
				for (int y = 0; y < shape[1]; y++) {
					int row = min[0] + fullShape[0] * ((min[1] + y) + fullShape[1] * (min[2] + z));
					System.arraycopy(full, row, out, k, shape[0]);
					k += shape[0];
				}
			return out;
		}
	}
}
