package org.mnseg.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.mnseg.util.UserError;

import com.google.gson.JsonObject;

/**
 * Collects the results of several cases and summarises them: per class, the mean of each metric over cases;
 * overall, the mean of those class means over the foreground classes. Renders the summary as the JSON the
 * command line prints and as a Markdown table.
 * <p>
 * JSON shape: {@code {"cases": {id: {"1": {metrics..., "empty": ...}, ...}}, "classes": {"1": {metrics...}, ...},
 * "mean": {metrics...}, "empty_policy": "..."}} with the metric keys of {@link ClassMetrics#KEYS}.
 */
public final class EvaluationReport {
	private final Map<String, CaseResult> cases = new LinkedHashMap<>();

	/**
	 * Adds one case.
	 *
	 * @throws UserError when a case with the same id was added before, or the case has other classes than the
	 *                   cases before it
	 */
	public EvaluationReport add(CaseResult result) {
		if (cases.containsKey(result.caseId()))
			throw new UserError("case " + result.caseId() + " appears twice; give each case once");
		if (!cases.isEmpty()) {
			Set<Integer> expected = cases.values().iterator().next().classes().keySet();
			if (!expected.equals(result.classes().keySet()))
				throw new UserError("case " + result.caseId() + " was evaluated for classes " + result.classes().keySet() + " but earlier cases for "
					+ expected + "; evaluate all cases with the same number of classes");
		}
		cases.put(result.caseId(), result);
		return this;
	}

	/** The cases in the order they were added (unmodifiable). */
	public List<CaseResult> cases() {
		return Collections.unmodifiableList(new ArrayList<>(cases.values()));
	}

	/** Per foreground class, the mean over cases of each metric, in the order of {@link ClassMetrics#KEYS}. */
	public Map<Integer, double[]> classMeans() {
		Map<Integer, double[]> sums = new LinkedHashMap<>();
		for (CaseResult r : cases.values())
			r.classes().forEach((c, m) -> addInto(sums.computeIfAbsent(c, k -> new double[ClassMetrics.KEYS.size()]), m.values()));
		for (double[] s : sums.values()) scale(s, 1.0 / cases.size());
		return sums;
	}

	/** Mean of the class means over the foreground classes; null when no case was added. */
	public double[] mean() {
		Map<Integer, double[]> perClass = classMeans();
		if (perClass.isEmpty()) return null;
		double[] sum = new double[ClassMetrics.KEYS.size()];
		for (double[] v : perClass.values()) addInto(sum, v);
		scale(sum, 1.0 / perClass.size());
		return sum;
	}

	public JsonObject toJson() {
		JsonObject casesJson = new JsonObject();
		cases.forEach((id, r) -> casesJson.add(id, r.toJson()));
		JsonObject classesJson = new JsonObject();
		classMeans().forEach((c, v) -> classesJson.add(Integer.toString(c), metricsJson(v)));
		double[] mean = mean();
		JsonObject root = new JsonObject();
		root.add("cases", casesJson);
		root.add("classes", classesJson);
		root.add("mean", mean == null ? new JsonObject() : metricsJson(mean));
		root.addProperty("empty_policy", SegmentationMetrics.EMPTY_POLICY);
		return root;
	}

	/**
	 * A summary table (one row per class mean and the overall mean) followed by a per-case table. Dice and
	 * Jaccard are fractions with 4 decimals, distances have 2 decimals; an "empty" column names empty masks.
	 */
	public String toMarkdown() {
		StringBuilder md = new StringBuilder();
		md.append("| class | ").append(metricHeader()).append(" |\n");
		md.append(separator(1 + ClassMetrics.KEYS.size()));
		classMeans().forEach((c, v) -> md.append("| ").append(c).append(" | ").append(metricCells(v)).append(" |\n"));
		double[] mean = mean();
		if (mean != null) md.append("| **mean** | ").append(metricCells(mean)).append(" |\n");
		md.append('\n');
		md.append("| case | class | ").append(metricHeader()).append(" | empty |\n");
		md.append(separator(3 + ClassMetrics.KEYS.size()));
		boolean anyEmpty = false;
		for (CaseResult r : cases.values())
			for (Map.Entry<Integer, ClassMetrics> e : r.classes().entrySet()) {
				ClassMetrics m = e.getValue();
				anyEmpty |= m.empty() != EmptySide.NONE;
				md.append("| ").append(escape(r.caseId())).append(" | ").append(e.getKey()).append(" | ").append(metricCells(m.values()))
					.append(" | ").append(m.empty() == EmptySide.NONE ? "" : m.empty().jsonName()).append(" |\n");
			}
		if (anyEmpty) md.append("\nEmpty masks: ").append(SegmentationMetrics.EMPTY_POLICY).append(".\n");
		return md.toString();
	}

	private static JsonObject metricsJson(double[] values) {
		JsonObject o = new JsonObject();
		for (int i = 0; i < values.length; i++) o.addProperty(ClassMetrics.KEYS.get(i), values[i]);
		return o;
	}

	private static String metricHeader() {
		return String.join(" | ", ClassMetrics.KEYS);
	}

	private static String metricCells(double[] values) {
		StringBuilder s = new StringBuilder();
		for (int i = 0; i < values.length; i++) {
			if (i > 0) s.append(" | ");
			// the first two keys are the overlap fractions, the rest distances
			s.append(String.format(Locale.ROOT, i < 2 ? "%.4f" : "%.2f", values[i]));
		}
		return s.toString();
	}

	private static String separator(int columns) {
		return "|" + "---|".repeat(columns) + "\n";
	}

	private static String escape(String cell) {
		return cell.replace("|", "\\|");
	}

	private static void addInto(double[] sum, double[] values) {
		for (int i = 0; i < sum.length; i++) sum[i] += values[i];
	}

	private static void scale(double[] values, double factor) {
		for (int i = 0; i < values.length; i++) values[i] *= factor;
	}
}
