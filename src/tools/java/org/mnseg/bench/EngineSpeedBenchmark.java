package org.mnseg.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.mnseg.data.Geometry;
import org.mnseg.data.Volume;
import org.mnseg.inference.SlidingWindow;
import org.mnseg.nn.UNet3D;
import org.mnseg.train.LrSchedule;
import org.mnseg.train.ModelTrainer;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.Json;
import org.mnseg.util.MemoryUsage;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDManager;

/**
 * This project's engine path (DJL on PyTorch, the project's UNet3D, losses and AdamW) against eager PyTorch with the
 * identical architecture, patch, batch and thread count, measured in one run: a training step, a sliding-window
 * inference, and resident memory over many training steps. Writes {@code results/engine-speed.json} and
 * {@code .md}. Ratios are this project's time over PyTorch's (below 1: faster).
 *
 * <p>The two sides take turns, several rounds per network: a ratio is taken within each round, from two measurements
 * a minute apart, and the reported ratio is the median over rounds with its range. On this machine one run's ratio
 * moved by a quarter from run to run, mostly with the machine's state, which a round shares between both sides.
 *
 * <p>Usage: {@code EngineSpeedBenchmark [results-dir] [rss-steps] [rounds]}; run it through scripts/bench-engine-speed.
 */
public final class EngineSpeedBenchmark {
	private EngineSpeedBenchmark() {}

	/** One network/patch setting to time. {@code patch} is {x, y, z}. */
	record Setting(String name, int levels, int base, int[] patch, int batch, int[] volume) {}

	static final int CLASSES = 3;
	static final int WARMUP = 2;
	static final int STEPS = 5;
	static final int INFERENCE_REPEATS = 1;
	static final int WINDOW_BATCH = 8;

	public static void main(String[] args) throws Exception {
		Path out = Paths.get(args.length > 0 ? args[0] : "results");
		int rssSteps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
		int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
		int threads = Integer.getInteger("ai.djl.pytorch.num_threads", 2);
		// the kernels the product runs on this processor; the PyTorch reference gets the same cap below
		org.mnseg.nn.EngineThreads.prepare();
		List<Setting> settings = List.of(
			new Setting("cpu preset UNet (4 levels, 16 filters)", 4, 16, new int[] { 64, 64, 32 }, 2, new int[] { 128, 128, 64 }),
			new Setting("paper UNet (5 levels, 32 filters)", 5, 32, new int[] { 64, 64, 32 }, 2, new int[] { 128, 128, 64 }));
		JsonObject result = provenance(threads);
		result.addProperty("rounds", rounds);
		List<JsonObject> rows = new ArrayList<>();
		for (Setting s : settings) {
			double[][] ours = new double[rounds][];
			double[][] ref = new double[rounds][];
			String engine = null;
			for (int r = 0; r < rounds; r++) {
				System.out.println("timing " + s.name() + ", round " + (r + 1) + " of " + rounds + " ...");
				ours[r] = timeThisProject(s);
				JsonObject py = timePyTorch(s, threads);
				ref[r] = new double[] { py.get("train_step_s").getAsDouble(), py.get("inference_s").getAsDouble() };
				engine = py.get("engine").getAsString();
			}
			JsonObject row = new JsonObject();
			row.addProperty("setting", s.name());
			row.addProperty("patch_xyz", Arrays.toString(s.patch()));
			row.addProperty("batch", s.batch());
			row.addProperty("volume_xyz", Arrays.toString(s.volume()));
			addMeasure(row, "train_step", ours, ref, 0);
			addMeasure(row, "inference", ours, ref, 1);
			row.addProperty("pytorch", engine);
			rows.add(row);
		}
		result.add("settings", Json.GSON.toJsonTree(rows));
		// headline numbers: the cpu preset network, the one the benchmarks train
		result.addProperty("train_step_ratio", rows.get(0).get("train_step_ratio").getAsDouble());
		result.addProperty("inference_ratio", rows.get(0).get("inference_ratio").getAsDouble());
		System.out.println("resident memory over " + rssSteps + " training steps ...");
		double[] rss = rssOverSteps(settings.get(0), rssSteps);
		result.addProperty("rss_steps", rssSteps);
		result.addProperty("rss_after_warmup_mb", rss[0]);
		result.addProperty("rss_at_end_mb", rss[1]);
		result.addProperty("rss_growth_1000_steps_mb", (rss[1] - rss[0]) * 1000.0 / rssSteps);
		Json.write(out.resolve("engine-speed.json"), result);
		String md = markdown(result, rows);
		AtomicFiles.writeString(out.resolve("engine-speed.md"), md);
		System.out.print(md);
	}

	/**
	 * Adds one measure's rounds to a row: {@code <name>_s} and {@code <name>_s_pytorch} (medians over rounds),
	 * {@code <name>_ratio} (median of the rounds' ratios) and the rounds' ratios themselves.
	 */
	private static void addMeasure(JsonObject row, String name, double[][] ours, double[][] ref, int column) {
		int rounds = ours.length;
		double[] o = new double[rounds], p = new double[rounds], ratio = new double[rounds];
		for (int r = 0; r < rounds; r++) {
			o[r] = ours[r][column];
			p[r] = ref[r][column];
			ratio[r] = o[r] / p[r];
		}
		row.addProperty(name + "_s", median(o));
		row.addProperty(name + "_s_pytorch", median(p));
		row.addProperty(name + "_ratio", median(ratio));
		row.add(name + "_ratio_rounds", Json.GSON.toJsonTree(ratio));
	}

	/** {median train step seconds, median sliding-window seconds}. */
	static double[] timeThisProject(Setting s) {
		try (NDManager m = NDManager.newBaseManager()) {
			UNet3D net = new UNet3D(m, 1, CLASSES, s.levels(), s.base(), 101);
			try (ModelTrainer trainer = new ModelTrainer("3d", net, new LrSchedule(1e-4, 0, 1, 1), 0.01, 1, 1)) {
				int[] p = s.patch();
				int voxels = p[0] * p[1] * p[2];
				Random r = new Random(101);
				float[] x = new float[s.batch() * voxels];
				byte[] y = new byte[s.batch() * voxels];
				for (int i = 0; i < x.length; i++) {
					x[i] = (float) r.nextGaussian();
					y[i] = (byte) r.nextInt(CLASSES);
				}
				long[] shape = { s.batch(), 1, p[2], p[1], p[0] };
				for (int i = 0; i < WARMUP; i++) trainer.stepOnLabels(x, shape, y, 1e-4);
				double[] t = new double[STEPS];
				for (int i = 0; i < STEPS; i++) {
					long t0 = System.nanoTime();
					trainer.stepOnLabels(x, shape, y, 1e-4);
					t[i] = (System.nanoTime() - t0) / 1e9;
				}
				int[] v = s.volume();
				float[] vol = new float[v[0] * v[1] * v[2]];
				for (int i = 0; i < vol.length; i++) vol[i] = (float) r.nextGaussian();
				Volume volume = Volume.wrap(vol, new long[] { v[0], v[1], v[2] }, Geometry.unit());
				SlidingWindow window = SlidingWindow.builder(p).overlap(0.5).batchSize(WINDOW_BATCH).build();
				window.segment(volume, in -> net.forward(in, false), m, false); // warm-up
				double[] inf = new double[INFERENCE_REPEATS];
				for (int i = 0; i < INFERENCE_REPEATS; i++) {
					long t0 = System.nanoTime();
					window.segment(volume, in -> net.forward(in, false), m, false);
					inf[i] = (System.nanoTime() - t0) / 1e9;
				}
				return new double[] { median(t), median(inf) };
			}
		}
	}

	/** The oneDNN kernels this process runs, as the result header and tables name them. */
	private static String cpuCap() {
		String cap = org.mnseg.nn.CpuKernelGuard.effectiveCap();
		return cap == null ? "default (widest)" : "capped at " + cap;
	}

	/**
	 * A PyTorch reference script's process, its messages passed through. A child gets the JVM's startup environment,
	 * not the oneDNN cap set natively in this process: the cap is passed on, so both sides run the same kernels.
	 */
	static Process startReference(List<String> command) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
		String cap = org.mnseg.nn.CpuKernelGuard.effectiveCap();
		if (cap != null) builder.environment().put("DNNL_MAX_CPU_ISA", cap);
		return builder.start();
	}

	/** Runs the PyTorch twin (Debian's python3-torch) with the same setting and reads its JSON line. */
	static JsonObject timePyTorch(Setting s, int threads) throws IOException, InterruptedException {
		int[] p = s.patch();
		int[] v = s.volume();
		List<String> cmd = new ArrayList<>(List.of(System.getProperty("mn.python", "/usr/bin/python3"), "scripts/reference/engine_speed_torch.py",
			"--patch", "" + p[2], "" + p[1], "" + p[0], "--volume", "" + v[2], "" + v[1], "" + v[0], "--batch", "" + s.batch(), "--window-batch",
			"" + WINDOW_BATCH, "--classes", "" + CLASSES, "--levels", "" + s.levels(), "--base", "" + s.base(), "--threads", "" + threads,
			"--warmup", "" + WARMUP, "--steps", "" + STEPS, "--inference-repeats", "" + INFERENCE_REPEATS));
		return lastJsonLine(startReference(cmd), "the PyTorch reference failed (is python3-torch installed?)");
	}

	/** A measuring process's last line of output as JSON, once it has exited; a failure throws with its output. */
	static JsonObject lastJsonLine(Process proc, String failure) throws IOException, InterruptedException {
		String text = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (proc.waitFor() != 0) throw new IllegalStateException(failure + ": " + text);
		String[] lines = text.split("\n");
		return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
	}

	/** {RSS after 50 warm-up steps, RSS after all steps} in MB. */
	static double[] rssOverSteps(Setting s, int steps) {
		try (NDManager m = NDManager.newBaseManager()) {
			UNet3D net = new UNet3D(m, 1, CLASSES, s.levels(), s.base(), 101);
			try (ModelTrainer trainer = new ModelTrainer("3d", net, new LrSchedule(1e-4, 0, 1, 1), 0.01, 1, 1)) {
				int[] p = { 32, 48, 32 }; // the hippocampus cpu patch
				int voxels = p[0] * p[1] * p[2];
				Random r = new Random(7);
				float[] x = new float[s.batch() * voxels];
				byte[] y = new byte[s.batch() * voxels];
				long[] shape = { s.batch(), 1, p[2], p[1], p[0] };
				double after = 0;
				for (int i = 0; i < steps + 50; i++) {
					for (int k = 0; k < x.length; k++) {
						x[k] = (float) r.nextGaussian();
						y[k] = (byte) r.nextInt(CLASSES);
					}
					trainer.stepOnLabels(x, shape, y, 1e-4);
					if (i == 49) after = MemoryUsage.rssMb();
					if ((i + 1) % 100 == 0) System.out.printf(Locale.ROOT, "  step %d: rss %.0f MB%n", i + 1, MemoryUsage.rssMb());
				}
				return new double[] { after, MemoryUsage.rssMb() };
			}
		}
	}

	/** The start of a speed benchmark's result: the build's commit, the thread count, the machine, its processor and kernels. */
	static JsonObject provenance(int threads) {
		JsonObject result = new JsonObject();
		result.addProperty("commit", org.mnseg.util.Version.commit());
		result.addProperty("threads", threads);
		result.addProperty("machine", org.mnseg.nn.CpuKernelGuard.processorId() + ", " + System.getProperty("os.arch") + ", "
			+ Runtime.getRuntime().availableProcessors() + " cores");
		result.addProperty("onednn_cap", cpuCap());
		return result;
	}

	static double median(double[] v) {
		double[] s = v.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}

	/** "median (min-max)" of a measure's per-round ratios. */
	private static String ratioCell(JsonObject row, String name) {
		double[] rounds = Json.GSON.fromJson(row.get(name + "_ratio_rounds"), double[].class);
		double[] sorted = rounds.clone();
		Arrays.sort(sorted);
		return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", row.get(name + "_ratio").getAsDouble(), sorted[0], sorted[sorted.length - 1]);
	}

	static String markdown(JsonObject r, List<JsonObject> rows) {
		StringBuilder b = new StringBuilder("# Engine speed: this project (DJL 0.36, PyTorch 2.7.1 natives) vs eager PyTorch (Debian python3-torch)\n\n");
		b.append("oneDNN kernels: " + r.get("onednn_cap").getAsString() + " on both sides.\n\n");
		b.append(String.format(Locale.ROOT, "%d threads, batch of patches for a training step, windows of the same patch at 50%% overlap in batches of %d.%n",
			r.get("threads").getAsInt(), WINDOW_BATCH));
		b.append(String.format(Locale.ROOT, "Commit %s. %d rounds per network, the two sides taking turns; times are medians over rounds, ratios the median of "
			+ "the rounds' ratios with their range.%n%n", r.get("commit").getAsString(), r.get("rounds").getAsInt()));
		b.append("| network | patch xyz | batch | volume xyz | train step (s) | PyTorch (s) | ratio | sliding window (s) | PyTorch (s) | ratio |\n");
		b.append("|---|---|---|---|---|---|---|---|---|---|\n");
		for (JsonObject o : rows)
			b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %.3f | %.3f | %s | %.2f | %.2f | %s |%n", o.get("setting").getAsString(),
				o.get("patch_xyz").getAsString(), o.get("batch").getAsInt(), o.get("volume_xyz").getAsString(), o.get("train_step_s").getAsDouble(),
				o.get("train_step_s_pytorch").getAsDouble(), ratioCell(o, "train_step"), o.get("inference_s").getAsDouble(),
				o.get("inference_s_pytorch").getAsDouble(), ratioCell(o, "inference")));
		b.append(String.format(Locale.ROOT, "%nResident memory over %d training steps (hippocampus cpu patch 32x48x32, batch 2): %.0f MB after warm-up, %.0f MB at the end: "
			+ "%.1f MB per 1000 steps.%n", r.get("rss_steps").getAsInt(), r.get("rss_after_warmup_mb").getAsDouble(), r.get("rss_at_end_mb").getAsDouble(),
			r.get("rss_growth_1000_steps_mb").getAsDouble()));
		return b.toString();
	}
}
