package org.mnseg.workflow;

import java.util.function.BooleanSupplier;

import org.mnseg.bundle.ModelBundle;
import org.mnseg.dataset.Case;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.data.Normalization;
import org.mnseg.data.Sample;
import org.mnseg.inference.Segmentation;
import org.mnseg.inference.Segmenter;
import org.mnseg.metrics.Evaluation;
import org.mnseg.metrics.EvaluationReport;
import org.mnseg.train.RunListener;

import ai.djl.Device;

/** Segments every test case of a data set with a bundle and measures the result against the truth. */
public final class TestEvaluation {
	/** The name of its progress phase. */
	public static final String PHASE = "Test evaluation";

	private TestEvaluation() {}

	/** {@code replaceNonFinite}: what NaN and infinite voxels of the test images become (null: they are refused). */
	public static EvaluationReport run(ModelBundle bundle, DatasetSpec spec, Float replaceNonFinite, Device device, RunListener listener,
		BooleanSupplier cancelled) {
		EvaluationReport all = new EvaluationReport();
		try (Segmenter segmenter = new Segmenter(bundle, null, device, Segmenter.defaultWindow(bundle.info()))) {
			int done = 0, total = spec.test().size();
			listener.phase(PHASE, 0, total);
			for (Case c : spec.test()) {
				if (cancelled != null && cancelled.getAsBoolean()) throw new java.util.concurrent.CancellationException("Evaluation cancelled");
				Sample s = spec.load(c, Normalization.NONE, replaceNonFinite);
				Segmentation seg = segmenter.segment(s.image());
				all.add(Evaluation.evaluate(c.id(), seg.labels(), s.label(), spec.numClasses()));
				listener.phase(PHASE, ++done, total);
			}
		}
		return all;
	}
}
