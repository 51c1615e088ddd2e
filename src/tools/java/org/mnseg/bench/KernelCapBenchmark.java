package org.mnseg.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mnseg.nn.CpuKernelGuard;
import org.mnseg.nn.EngineEnvironment;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.Json;

import com.google.gson.JsonObject;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * What capping oneDNN's instruction set costs on this processor, and whether each level computes right: the `cpu`
 * preset's 3-D UNet (a training step on a hippocampus and on an LA batch, a sliding window over a volume of each size)
 * and the main job's 2-D partner (a training step on 16 slices of 32 x 48), under each {@code DNNL_MAX_CPU_ISA} level,
 * with the gradient check {@link CpuKernelGuard} runs at start-up. Writes {@code results/kernel-cap.json} and
 * {@code .md}.
 *
 * <p>oneDNN reads its cap once, at its first use, so each level runs in a fresh JVM; the levels take turns over rounds
 * (as in {@link EngineSpeedBenchmark}), and a level's slowdown under the first level (the product's cap) is the median
 * of the rounds' ratios. The wider levels are timed without the product's refusal to train on them, so a level that
 * fails the check gives times only.
 *
 * <p>Usage: {@code KernelCapBenchmark [results-dir] [levels, comma-separated] [rounds]}; run it through
 * scripts/bench-kernel-cap. {@code KernelCapBenchmark --level LEVEL} is one level's child process.
 */
public final class KernelCapBenchmark {
	private KernelCapBenchmark() {}

	static final List<EngineSpeedBenchmark.Setting> UNETS = List.of(
		new EngineSpeedBenchmark.Setting("hippocampus", 4, 16, new int[] { 32, 48, 32 }, 2, new int[] { 64, 96, 64 }),
		new EngineSpeedBenchmark.Setting("LA", 4, 16, new int[] { 64, 64, 40 }, 2, new int[] { 128, 128, 80 }));
	static final Speed2dBenchmark.Setting PARTNER = new Speed2dBenchmark.Setting(Speed2dBenchmark.MAIN_JOB_PARTNER, 16, 32, 48);
	static final String DEFAULT_LEVELS = "AVX,AVX2,AVX512_CORE";
	private static final String CHILD = "--level";
	private static final String PARTNER_STEP_KEY = "train_step_2d";

	/** The measures a child reports (keys from the methods below), in the tables' order, with their column headings. */
	static final Map<String, String> MEASURES = new LinkedHashMap<>();
	static {
		for (EngineSpeedBenchmark.Setting s : UNETS) {
			MEASURES.put(trainStepKey(s), "3-D train step, " + s.name() + " batch " + batchText(s.batch(), s.patch()));
			MEASURES.put(windowKey(s), "3-D sliding window, " + String.join(" x ", text(s.volume())) + " volume");
		}
		MEASURES.put(PARTNER_STEP_KEY, "2-D partner train step, " + PARTNER.shape());
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 2 && args[0].equals(CHILD)) {
			System.out.println(measureThisProcess(args[1]));
			return;
		}
		Path out = Paths.get(args.length > 0 ? args[0] : "results");
		List<String> levels = List.of((args.length > 1 ? args[1] : DEFAULT_LEVELS).split(","));
		int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
		int threads = Integer.getInteger("ai.djl.pytorch.num_threads", 2);
		// what the product itself would run here (this process never starts the engine)
		CpuKernelGuard.beforeEngineStart();
		String productCap = CpuKernelGuard.effectiveCap();

		List<List<JsonObject>> byLevel = new ArrayList<>();
		for (int l = 0; l < levels.size(); l++) byLevel.add(new ArrayList<>());
		for (int r = 0; r < rounds; r++)
			for (int l = 0; l < levels.size(); l++) {
				System.out.println("round " + (r + 1) + " of " + rounds + ": " + levels.get(l) + " ...");
				byLevel.get(l).add(runChild(levels.get(l), threads));
			}

		JsonObject result = EngineSpeedBenchmark.provenance(threads);
		result.remove("onednn_cap"); // this process runs no kernels; each row names its level
		result.addProperty("product_cap", productCap == null ? "none" : productCap);
		result.addProperty("rounds", rounds);
		result.addProperty("check_tolerance", CpuKernelGuard.TOLERANCE);
		List<JsonObject> rows = summarise(levels, byLevel);
		result.add("levels", Json.GSON.toJsonTree(rows));
		Json.write(out.resolve("kernel-cap.json"), result);
		String md = markdown(result, rows);
		AtomicFiles.writeString(out.resolve("kernel-cap.md"), md);
		System.out.print(md);
	}

	/** One level in a fresh JVM with this one's class path and engine settings; its last output line is its JSON. */
	static JsonObject runChild(String level, int threads) throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g", "-cp",
			System.getProperty("java.class.path")));
		for (String key : List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads", "ai.djl.offline"))
			if (System.getProperty(key) != null) cmd.add("-D" + key + "=" + System.getProperty(key));
		cmd.addAll(List.of(KernelCapBenchmark.class.getName(), CHILD, level));
		ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
		builder.environment().put("DNNL_MAX_CPU_ISA", level);
		return EngineSpeedBenchmark.lastJsonLine(builder.start(), "the child process for " + level + " failed");
	}

	/** The gradient check's error and the median time of each measure, in this process (its cap set by the parent). */
	static JsonObject measureThisProcess(String level) {
		EngineEnvironment.beforeEngineStart();
		Engine.getEngine("PyTorch");
		JsonObject o = new JsonObject();
		o.addProperty("level", level);
		o.addProperty("effective_cap", CpuKernelGuard.effectiveCap());
		o.addProperty("gradient_check_error", CpuKernelGuard.convolutionGradientError());
		JniUtils.setGradMode(false); // what EngineThreads.prepare leaves, without its refusal of a failed check
		for (EngineSpeedBenchmark.Setting s : UNETS) {
			double[] t = EngineSpeedBenchmark.timeThisProject(s);
			o.addProperty(trainStepKey(s), t[0]);
			o.addProperty(windowKey(s), t[1]);
		}
		Speed2dBenchmark.Times t2 = Speed2dBenchmark.timeThisProject(PARTNER, EngineSpeedBenchmark.WARMUP, EngineSpeedBenchmark.STEPS);
		o.addProperty(PARTNER_STEP_KEY, EngineSpeedBenchmark.median(t2.trainStep()));
		return o;
	}

	/**
	 * A row per level: each measure's median over rounds, the largest gradient-check error seen, and for each measure
	 * the median over rounds of (first level's time / this level's time), the slowdown of the first level.
	 */
	static List<JsonObject> summarise(List<String> levels, List<List<JsonObject>> byLevel) {
		List<JsonObject> first = byLevel.get(0);
		List<JsonObject> rows = new ArrayList<>();
		for (int l = 0; l < levels.size(); l++) {
			List<JsonObject> runs = byLevel.get(l);
			JsonObject row = new JsonObject();
			row.addProperty("level", levels.get(l));
			row.addProperty("gradient_check_error", runs.stream().mapToDouble(o -> o.get("gradient_check_error").getAsDouble()).max().orElse(Double.NaN));
			JsonObject slowdown = new JsonObject();
			for (String m : MEASURES.keySet()) {
				double[] seconds = new double[runs.size()], ratio = new double[runs.size()];
				for (int r = 0; r < runs.size(); r++) {
					seconds[r] = runs.get(r).get(m).getAsDouble();
					ratio[r] = first.get(r).get(m).getAsDouble() / seconds[r];
				}
				row.addProperty(m + "_s", EngineSpeedBenchmark.median(seconds));
				row.add(m + "_s_rounds", Json.GSON.toJsonTree(seconds));
				slowdown.addProperty(m, EngineSpeedBenchmark.median(ratio));
			}
			row.add("first_level_slowdown", slowdown);
			rows.add(row);
		}
		return rows;
	}

	static String markdown(JsonObject r, List<JsonObject> rows) {
		String first = rows.get(0).get("level").getAsString();
		StringBuilder b = new StringBuilder("# oneDNN's instruction-set cap: what it costs, and whether each level computes right\n\n");
		b.append(String.format(Locale.ROOT, "`scripts/bench-kernel-cap`. Commit %s, %s, %d threads; each level in a fresh JVM (`DNNL_MAX_CPU_ISA`), "
			+ "the levels taking turns over %d rounds; times are medians over rounds of the median of %d steps after %d warm-up. "
			+ "The product's cap on this processor: %s.%n%n", r.get("commit").getAsString(), r.get("machine").getAsString(), r.get("threads").getAsInt(),
			r.get("rounds").getAsInt(), EngineSpeedBenchmark.STEPS, EngineSpeedBenchmark.WARMUP, r.get("product_cap").getAsString()));
		b.append(String.format(Locale.ROOT, "The gradient check is the one the product runs at start-up (a 3-D convolution's input gradient against "
			+ "a forward convolution with the flipped kernel; largest relative error over rounds, tolerance %.0e). A level that fails it "
			+ "trains wrongly: its times are for comparison only.%n%n", r.get("check_tolerance").getAsDouble()));
		b.append("| level | gradient check | ");
		for (String words : MEASURES.values()) b.append(words).append(" (s) | ");
		b.append("\n|---|---|");
		b.append("---|".repeat(MEASURES.size())).append('\n');
		for (JsonObject o : rows) {
			double error = o.get("gradient_check_error").getAsDouble();
			b.append(String.format(Locale.ROOT, "| %s | %s (%.2g) | ", o.get("level").getAsString(), error <= r.get("check_tolerance").getAsDouble() ? "right" : "WRONG", error));
			for (String m : MEASURES.keySet()) b.append(String.format(Locale.ROOT, "%.3f | ", o.get(m + "_s").getAsDouble()));
			b.append('\n');
		}
		b.append(String.format(Locale.ROOT, "%nSlowdown of %s against each level (median over rounds of the rounds' time ratios):%n%n", first));
		b.append("| against | ");
		for (String words : MEASURES.values()) b.append(words).append(" | ");
		b.append("\n|---|");
		b.append("---|".repeat(MEASURES.size())).append('\n');
		for (JsonObject o : rows.subList(1, rows.size())) {
			b.append("| ").append(o.get("level").getAsString()).append(" | ");
			JsonObject slowdown = o.getAsJsonObject("first_level_slowdown");
			for (String m : MEASURES.keySet()) b.append(String.format(Locale.ROOT, "%.2fx | ", slowdown.get(m).getAsDouble()));
			b.append('\n');
		}
		return b.toString();
	}

	private static String trainStepKey(EngineSpeedBenchmark.Setting s) {
		return "train_step_" + s.name();
	}

	private static String windowKey(EngineSpeedBenchmark.Setting s) {
		return "window_" + s.name();
	}

	private static String[] text(int[] v) {
		return Arrays.stream(v).mapToObj(Integer::toString).toArray(String[]::new);
	}

	private static String batchText(int batch, int[] patch) {
		return batch + " x " + String.join(" x ", text(patch));
	}
}
