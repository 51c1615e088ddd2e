package org.mnseg.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mnseg.data.LabelVolume;
import org.mnseg.io.VolumeIO;
import org.mnseg.metrics.Evaluation;
import org.mnseg.metrics.EvaluationReport;
import org.mnseg.util.UserError;


/** Measures predicted label volumes against ground truth: single files, or folders matched by file name. */
public final class EvaluateWorkflow {
	private EvaluateWorkflow() {}

	/**
	 * @param numClasses classes including background, or a value below 2 to take the largest label found + 1
	 */
	public static EvaluationReport evaluate(Path pred, Path truth, int numClasses) {
		Map<String, Path[]> pairs = pairs(pred, truth);
		Map<String, LabelVolume[]> volumes = new LinkedHashMap<>();
		int maxLabel = 1;
		for (Map.Entry<String, Path[]> e : pairs.entrySet()) {
			LabelVolume p = VolumeIO.readLabels(e.getValue()[0]);
			LabelVolume t = VolumeIO.readLabels(e.getValue()[1]);
			if (!java.util.Arrays.equals(p.shape(), t.shape()))
				throw new UserError("Prediction " + e.getValue()[0] + " has shape " + java.util.Arrays.toString(p.shape()) + " but the truth "
					+ e.getValue()[1] + " has " + java.util.Arrays.toString(t.shape()) + "; they must lie on the same grid.");
			maxLabel = Math.max(maxLabel, Math.max(p.maxLabel(), t.maxLabel()));
			volumes.put(e.getKey(), new LabelVolume[] { p, t });
		}
		int k = numClasses >= 2 ? numClasses : maxLabel + 1;
		if (maxLabel >= k) throw new UserError("A label value " + maxLabel + " was found but --classes is " + k + "; give a larger --classes.");
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
			throw new UserError("No ground truth in " + truth + " for: " + String.join(", ", missing) + ". Truth files must have the same names as the predictions.");
		return pairs;
	}
}
