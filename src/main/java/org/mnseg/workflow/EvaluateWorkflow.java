package org.mnseg.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.io.VolumeIO;
import org.mnseg.metrics.Evaluation;
import org.mnseg.metrics.EvaluationReport;
import org.mnseg.util.UserError;


/** Measures predicted label volumes against ground truth: single files, or folders matched by file name. */
public final class EvaluateWorkflow {
	private EvaluateWorkflow() {}

	/**
	 * Scores every truth case, strictly: each needs a prediction on the same grid (shape and voxel spacing), and the
	 * classes are the truth's (or {@code numClasses}), so that a prediction cannot add classes to the mean.
	 *
	 * @param numClasses classes including background, or a value below 2 to take the truth's largest label + 1
	 */
	public static EvaluationReport evaluate(Path pred, Path truth, int numClasses) {
		Map<String, Path[]> pairs = pairs(pred, truth);
		Map<String, LabelVolume[]> volumes = new LinkedHashMap<>();
		int truthMax = 1;
		for (Map.Entry<String, Path[]> e : pairs.entrySet()) {
			Path pf = e.getValue()[0], tf = e.getValue()[1];
			LabelVolume p = VolumeIO.readLabels(pf);
			LabelVolume t = VolumeIO.readLabels(tf);
			if (!Arrays.equals(p.shape(), t.shape()))
				throw new UserError("Prediction " + pf + " has shape " + Arrays.toString(p.shape()) + " but the truth " + tf + " has "
					+ Arrays.toString(t.shape()) + "; they must lie on the same grid.");
			double[] ps = p.geometry().spacing(), ts = t.geometry().spacing();
			if (!Geometry.sameSpacing(ps, ts, 1e-5))
				throw new UserError("Prediction " + pf + " has voxel spacing " + Arrays.toString(ps) + " mm but the truth " + tf + " has "
					+ Arrays.toString(ts) + " mm; distances would be wrong. Compare files on the same grid (segment the truth's own image).");
			truthMax = Math.max(truthMax, t.maxLabel());
			volumes.put(e.getKey(), new LabelVolume[] { p, t });
		}
		int k = numClasses >= 2 ? numClasses : truthMax + 1;
		for (Map.Entry<String, LabelVolume[]> e : volumes.entrySet()) {
			int pMax = e.getValue()[0].maxLabel(), tMax = e.getValue()[1].maxLabel();
			if (tMax >= k)
				throw new UserError("The truth " + pairs.get(e.getKey())[1] + " has label value " + tMax + " but --classes is " + k + "; give --classes "
					+ (tMax + 1) + " or more.");
			if (pMax >= k)
				throw new UserError("The prediction " + pairs.get(e.getKey())[0] + " has label value " + pMax + ", a class the truth does not have (classes 0 to "
					+ (k - 1) + (numClasses >= 2 ? ", from --classes" : ", from the truth") + "). Check that it belongs to this truth, or give --classes "
					+ (pMax + 1) + " to score that class too.");
		}
		EvaluationReport all = new EvaluationReport();
		for (Map.Entry<String, LabelVolume[]> e : volumes.entrySet())
			all.add(Evaluation.evaluate(e.getKey(), e.getValue()[0], e.getValue()[1], k));
		return all;
	}

	/** Every prediction and truth file that {@link #evaluate} reads. */
	public static List<Path> files(Path pred, Path truth) {
		List<Path> files = new ArrayList<>();
		for (Path[] pair : pairs(pred, truth).values()) files.addAll(List.of(pair));
		return files;
	}

	/** At most ten names for a message, then how many more. */
	private static String names(List<String> ids) {
		return ids.size() <= 10 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 10)) + " and " + (ids.size() - 10) + " more";
	}

	/** Case id to {prediction, truth}. */
	static Map<String, Path[]> pairs(Path pred, Path truth) {
		Map<String, Path[]> pairs = new LinkedHashMap<>();
		if (Files.isRegularFile(pred)) {
			if (!Files.isRegularFile(truth)) throw new UserError("--pred is a file, so --truth must be a file too; " + truth + " is not.");
			pairs.put(VolumeIO.baseName(pred), new Path[] { pred, truth });
			return pairs;
		}
		List<Path> preds = SegmentWorkflow.inputs(pred);
		if (!Files.isDirectory(truth)) throw new UserError("--pred is a folder, so --truth must be a folder too; " + truth + " is not.");
		Map<String, Path> truths = new LinkedHashMap<>();
		for (Path t : SegmentWorkflow.inputs(truth)) truths.put(VolumeIO.baseName(t), t);
		List<String> missing = new ArrayList<>();
		for (Path p : preds) {
			String id = VolumeIO.baseName(p);
			Path t = truths.get(id);
			if (t == null) missing.add(id);
			else pairs.put(id, new Path[] { p, t });
		}
		if (!missing.isEmpty())
			throw new UserError("No ground truth in " + truth + " for: " + names(missing) + ". Truth files must have the same names as the predictions.");
		// a truth case without prediction would silently leave the mean: every case is scored, or none
		List<String> unpredicted = truths.keySet().stream().filter(id -> !pairs.containsKey(id)).toList();
		if (!unpredicted.isEmpty())
			throw new UserError("No prediction in " + pred + " for " + unpredicted.size() + " of the " + truths.size() + " truth cases: " + names(unpredicted)
				+ ". Segment them too, or evaluate against a truth folder that holds only the cases you mean.");
		return pairs;
	}
}
