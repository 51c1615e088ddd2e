package org.mnseg.nn2d.mobilenet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.mnseg.pretrained.Npy;
import org.mnseg.pretrained.PretrainedModel;
import org.mnseg.pretrained.PretrainedModels;
import org.mnseg.pretrained.WeightsSource;
import org.mnseg.pretrained.tflite.TfliteModel;
import org.mnseg.util.UserError;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Checks that this project's float networks compute what the publishers' networks compute, against reference
 * outputs of an independent implementation (a golden folder such as {@code shared/models/golden}):
 * <ul>
 * <li>DeepLabV3+ ADE20K: per-pixel argmax agreement at least 99.5 %, logits at every 8th pixel within 1e-3 relative</li>
 * <li>DeepLabV3 PASCAL (float file): logits at every 4th pixel within 1e-4 relative, argmax agreement</li>
 * <li>MobileNetV2 ImageNet: the same top-1 class and the same set of top-5 classes</li>
 * </ul>
 * "Relative" is the largest absolute difference divided by the largest absolute reference value.
 */
public final class GoldenVerification {
	private GoldenVerification() {}

	/** One measured number and its verdict. */
	public record Row(String model, String metric, double value, String comparison, double threshold, boolean pass) {
	}

	/** Runs the three checks; models come from {@code source}. */
	public static List<Row> run(Path goldenDir, WeightsSource source) {
		if (!Files.isDirectory(goldenDir))
			throw new UserError("The golden folder " + goldenDir + " does not exist: pass the folder holding the *.npy references (shared/models/golden)");
		List<Row> rows = new ArrayList<>();
		rows.addAll(checkDense(goldenDir, source, PretrainedModels.DEEPLABV3PLUS_ADE20K, "ade20k_ADE_val_00000001", 8, 1e-3));
		rows.addAll(checkDense(goldenDir, source, PretrainedModels.DEEPLABV3_PASCAL, "pascal_bird", 4, 1e-4));
		rows.addAll(checkClassifier(goldenDir, source, PretrainedModels.MOBILENETV2_IMAGENET, "imagenet_sample01"));
		return rows;
	}

	public static boolean allPass(List<Row> rows) {
		return rows.stream().allMatch(Row::pass);
	}

	/** Dense logits (NCHW, at the input's resolution) of a segmentation model on a golden input. */
	private static List<Row> checkDense(Path dir, WeightsSource source, PretrainedModel m, String sample, int step, double tolerance) {
		Npy refLogits = Npy.read(require(dir, sample + ".logits_nhwc_stride" + step + ".npy"));
		Npy refArgmax = Npy.read(require(dir, sample + ".argmax_hw.npy"));
		try (NDManager manager = NDManager.newBaseManager()) {
			float[] logits;
			Shape shape;
			TfliteGraph graph = new TfliteGraph(TfliteModel.read(source.resolve(m)), m.id(), manager);
			try (NDManager step0 = manager.newSubManager()) {
				NDArray out = runOnImage(graph, step0, Npy.read(require(dir, sample + ".input_uint8_nhwc.npy")));
				shape = out.getShape();
				logits = out.toFloatArray();
			}
			int c = (int) shape.get(1);
			int h = (int) shape.get(2);
			int w = (int) shape.get(3);
			int[] rs = refLogits.shape();
			if (rs[3] != c || rs[1] != (h + step - 1) / step || rs[2] != (w + step - 1) / step)
				throw new UserError(dir + ": " + sample + " logits have shape " + Arrays.toString(rs) + ", the network gives " + shape);
			double worst = 0;
			double range = 0;
			for (int y = 0; y < rs[1]; y++)
				for (int x = 0; x < rs[2]; x++)
					for (int k = 0; k < c; k++) {
						double ref = refLogits.data()[(y * rs[2] + x) * c + k];
						double mine = logits[(k * h + y * step) * w + x * step];
						worst = Math.max(worst, Math.abs(ref - mine));
						range = Math.max(range, Math.abs(ref));
					}
			int agree = 0;
			for (int p = 0; p < h * w; p++) {
				int best = 0;
				for (int k = 1; k < c; k++) if (logits[k * h * w + p] > logits[best * h * w + p]) best = k;
				if (best == (int) refArgmax.data()[p]) agree++;
			}
			double relative = worst / range;
			double agreement = agree / (double) (h * w);
			return List.of(new Row(m.id(), "argmax agreement", agreement, ">=", 0.995, agreement >= 0.995),
					new Row(m.id(), "logits max relative error (every " + step + "th pixel)", relative, "<=", tolerance, relative <= tolerance));
		}
	}

	private static List<Row> checkClassifier(Path dir, WeightsSource source, PretrainedModel m, String sample) {
		Npy ref = Npy.read(require(dir, sample + ".logits.npy"));
		float[] mine;
		try (NDManager manager = NDManager.newBaseManager()) {
			TfliteGraph graph = new TfliteGraph(TfliteModel.read(source.resolve(m)), m.id(), manager);
			mine = runOnImage(graph, manager, Npy.read(require(dir, sample + ".input_uint8_nhwc.npy"))).toFloatArray();
		}
		// the reference may hold probabilities: ranks are the same for logits and their softmax
		int[] top = topK(mine, 5);
		int[] refTop = topK(ref.data(), 5);
		boolean top1 = top[0] == refTop[0];
		int[] a = top.clone();
		int[] b = refTop.clone();
		Arrays.sort(a);
		Arrays.sort(b);
		boolean top5 = Arrays.equals(a, b);
		return List.of(new Row(m.id(), "top-1 class equal (mine " + top[0] + ", reference " + refTop[0] + ")", top1 ? 1 : 0, "==", 1, top1),
				new Row(m.id(), "top-5 classes equal " + Arrays.toString(top), top5 ? 1 : 0, "==", 1, top5));
	}

	/** An 8-bit NHWC image through the network's own input convention, up to its original logits. */
	private static NDArray runOnImage(TfliteGraph graph, NDManager manager, Npy image) {
		int[] s = image.shape();
		float[] so = graph.pixelScaleOffset();
		NDArray nhwc = manager.create(image.data(), new Shape(s[0], s[1], s[2], s[3]));
		NDArray x = nhwc.mul(so[0]).add(so[1]).transpose(0, 3, 1, 2);
		int t = graph.logitsTensor();
		return graph.run(x, new int[] { t }, false).get(t);
	}

	private static int[] topK(float[] v, int k) {
		Integer[] idx = new Integer[v.length];
		for (int i = 0; i < v.length; i++) idx[i] = i;
		Arrays.sort(idx, (p, q) -> Float.compare(v[q], v[p]));
		int[] top = new int[k];
		for (int i = 0; i < k; i++) top[i] = idx[i];
		return top;
	}

	private static Path require(Path dir, String name) {
		Path p = dir.resolve(name);
		if (!Files.isRegularFile(p))
			throw new UserError("The golden folder " + dir + " lacks " + name + ": pass the complete folder (shared/models/golden)");
		return p;
	}

	/** A fixed-width text table with a final verdict line. */
	public static String table(List<Row> rows) {
		StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-26s %-60s %14s %3s %10s  %s%n", "model", "metric", "value", "", "threshold", "result"));
		for (Row r : rows)
			sb.append(String.format(Locale.ROOT, "%-26s %-60s %14.6g %3s %10.4g  %s%n", r.model(), r.metric(), r.value(), r.comparison(),
					r.threshold(), r.pass() ? "PASS" : "FAIL"));
		sb.append(allPass(rows) ? "All checks passed." : "Some checks FAILED.").append(System.lineSeparator());
		return sb.toString();
	}

	/** The same rows as JSON: {"pass": bool, "checks": [{model, metric, value, comparison, threshold, pass}, ...]}. */
	public static String json(List<Row> rows) {
		JsonObject root = new JsonObject();
		root.addProperty("pass", allPass(rows));
		JsonArray checks = new JsonArray();
		for (Row r : rows) {
			JsonObject o = new JsonObject();
			o.addProperty("model", r.model());
			o.addProperty("metric", r.metric());
			o.addProperty("value", r.value());
			o.addProperty("comparison", r.comparison());
			o.addProperty("threshold", r.threshold());
			o.addProperty("pass", r.pass());
			checks.add(o);
		}
		root.add("checks", checks);
		return new GsonBuilder().setPrettyPrinting().create().toJson(root);
	}
}
