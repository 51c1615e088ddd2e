package org.mnseg.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import org.mnseg.data.LabelVolume;
import org.mnseg.util.UserError;

/**
 * Evaluates a predicted label volume against its ground truth: for every foreground class c in 1 .. numClasses-1,
 * the binary masks prediction == c and truth == c are compared with {@link SegmentationMetrics}.
 */
public final class Evaluation {
	private Evaluation() {}

	/**
	 * @param caseId     name of the case, used in the report and in error messages
	 * @param prediction class index per voxel (unsigned bytes), X fastest
	 * @param truth      ground-truth class index per voxel, same layout
	 * @param shape      {x, y, z}
	 * @param spacing    voxel size in mm along x, y, z
	 * @param numClasses number of classes including background (at least 2)
	 * @throws UserError when the volumes do not match the shape, a label is not below numClasses, or the spacing
	 *                   is not positive
	 */
	public static CaseResult evaluate(String caseId, byte[] prediction, byte[] truth, int[] shape, double[] spacing, int numClasses) {
		validate(caseId, prediction, truth, shape, spacing, numClasses);
		Map<Integer, ClassMetrics> classes = new LinkedHashMap<>();
		for (int c = 1; c < numClasses; c++)
			classes.put(c, SegmentationMetrics.compute(mask(prediction, c), mask(truth, c), shape, spacing));
		return new CaseResult(caseId, classes);
	}

	/**
	 * The same for label volumes; distances in mm use the truth's spacing (a prediction is made on the grid of
	 * its image, which shares the truth's grid).
	 */
	public static CaseResult evaluate(String caseId, LabelVolume prediction, LabelVolume truth, int numClasses) {
		int[] ps = prediction.shape(), ts = truth.shape();
		if (ps[0] != ts[0] || ps[1] != ts[1] || ps[2] != ts[2])
			throw new UserError("case " + caseId + ": prediction is " + dims(ps) + " voxels but the ground truth is " + dims(ts)
				+ "; compare a prediction with the label of the same image");
		return evaluate(caseId, prediction.data(), truth.data(), ts, truth.geometry().spacing(), numClasses);
	}

	private static boolean[] mask(byte[] labels, int classIndex) {
		boolean[] m = new boolean[labels.length];
		for (int i = 0; i < labels.length; i++) m[i] = (labels[i] & 0xff) == classIndex;
		return m;
	}

	private static void validate(String caseId, byte[] prediction, byte[] truth, int[] shape, double[] spacing, int numClasses) {
		if (shape == null || shape.length != 3 || shape[0] <= 0 || shape[1] <= 0 || shape[2] <= 0)
			throw new IllegalArgumentException("shape needs 3 positive sizes (x, y, z)");
		long n = (long) shape[0] * shape[1] * shape[2];
		if (prediction.length != n || truth.length != n)
			throw new UserError("case " + caseId + ": prediction has " + prediction.length + " voxels and ground truth " + truth.length
				+ ", but the shape " + dims(shape) + " needs " + n + "; compare a prediction with the label of the same image");
		if (numClasses < 2 || numClasses > 256)
			throw new UserError("number of classes must be between 2 and 256 (background included), got " + numClasses);
		if (spacing == null || spacing.length != 3)
			throw new UserError("case " + caseId + ": voxel spacing needs 3 values (x, y, z)");
		for (double s : spacing)
			if (!(s > 0) || Double.isInfinite(s))
				throw new UserError("case " + caseId + ": voxel spacing " + s + " mm is not a positive number; fix the image header (pixdim)");
		requireLabelsBelow(caseId, "prediction", prediction, numClasses);
		requireLabelsBelow(caseId, "ground truth", truth, numClasses);
	}

	private static void requireLabelsBelow(String caseId, String what, byte[] labels, int numClasses) {
		int max = 0;
		for (byte b : labels) max = Math.max(max, b & 0xff);
		if (max >= numClasses)
			throw new UserError("case " + caseId + ": " + what + " contains label " + max + " but there are " + numClasses
				+ " classes (labels 0.." + (numClasses - 1) + "); give the right number of classes or check the label file");
	}

	private static String dims(int[] s) {
		return s[0] + "x" + s[1] + "x" + s[2];
	}
}
