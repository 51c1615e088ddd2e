package org.mnseg.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.mnseg.models.NetworkFactory;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;
import org.mnseg.nn2d.SliceZoom;
import org.mnseg.train.LrSchedule;
import org.mnseg.train.ModelTrainer;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Speed of the 2-D segmenters on batches of slices. Each network is timed in this project (DJL on PyTorch, through
 * {@link NetworkFactory} and {@link ModelTrainer}) and in its eager PyTorch twin
 * ({@code scripts/reference/segmenters2d_torch.py}, same structure and M&N head, Debian's python3-torch) in the
 * same run, with the same batch, slice size and thread count. Two things are timed: a forward pass in evaluation
 * mode without gradients, and one training step (forward, KL + squared Dice, backward, AdamW). Each time is the
 * median of the repeats after a warm-up. Writes {@code results/speed-2d.json} and {@code .md}. The ratios are this
 * project's time over PyTorch's, so a ratio below 1 means this project is faster. The ratio of the fastest repeats
 * ({@code *_ratio_best}) is also recorded, because on a shared machine the fastest repeat is the least disturbed.
 *
 * <p>Before timing, the twins are checked against the golden outputs in {@code shared/models}. This shows that
 * PyTorch runs the same architecture.
 *
 * <p>Usage: {@code Speed2dBenchmark [results-dir] [warm-up] [repeats] [network,network,...]}. Run it through
 * scripts/bench-2d-speed. {@code -Dmn.python} names the Python interpreter (default /usr/bin/python3), and
 * {@code -Dmn.shared} names the shared folder that holds {@code models/} (default ../shared, as for the weights).
 */
public final class Speed2dBenchmark {
	private Speed2dBenchmark() {}

	/**
	 * One network on one batch of N x 1 x H x W slices. A network named {@code <architecture>:zoom<k>} is that
	 * architecture with {@code slice_zoom} k.
	 */
	record Setting(String network, int batch, int height, int width) {
		String shape() {
			return batch + " x 1 x " + height + " x " + width;
		}

		String architecture() {
			return network.split(":")[0];
		}

		int sliceZoom() {
			return network.contains(ZOOM) ? Integer.parseInt(network.substring(network.indexOf(ZOOM) + ZOOM.length())) : 1;
		}
	}

	private static final String ZOOM = ":zoom";
	/** The default 2-D partner as the README's main job trains it: hippocampus slices, enlarged twice. */
	static final String MAIN_JOB_PARTNER = "mnv2-imagenet-unet:zoom2";
	static final List<String> NETWORKS = List.of("deeplabv3plus-mnv2-ade20k", "segformer-b0", "segformer-b2", "mnv2-imagenet-unet", MAIN_JOB_PARTNER);
	/** {batch, height, width}: the same number of pixels at two slice sizes. */
	static final int[][] BATCHES = { { 16, 64, 64 }, { 8, 128, 128 } };
	/** The main job's step: 16 slices of its 32 x 48 x 32 hippocampus patch. */
	static final int[][] MAIN_JOB_BATCH = { { 16, 32, 48 } };
	static final int CLASSES = 3;
	static final double LR = 1e-4;
	static final double WEIGHT_DECAY = 0.01;
	static final long SEED = 101;

	public static void main(String[] args) throws Exception {
		// the kernels the product runs on this processor (the cap, the gradient check); the PyTorch side gets the same cap
		org.mnseg.nn.EngineThreads.prepare();
		Path out = Paths.get(args.length > 0 ? args[0] : "results");
		int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
		int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
		List<String> networks = args.length > 3 ? List.of(args[3].split(",")) : NETWORKS;
		int threads = Integer.getInteger("ai.djl.pytorch.num_threads", 2);
		Path models = Paths.get(System.getProperty("mn.shared", "../shared")).resolve("models");

		JsonObject result = EngineSpeedBenchmark.provenance(threads);
		result.addProperty("warmup", warmup);
		result.addProperty("repeats", repeats);
		result.addProperty("classes", CLASSES);
		System.out.println("checking the PyTorch twins against the golden outputs ...");
		result.add("twin_check", checkTwins(models));

		List<JsonObject> rows = new ArrayList<>();
		for (String network : networks) {
			for (int[] b : network.contains(ZOOM) ? MAIN_JOB_BATCH : BATCHES) {
				Setting s = new Setting(network, b[0], b[1], b[2]);
				System.out.println("timing " + network + " on " + s.shape() + " ...");
				rows.add(measure(s, warmup, repeats, threads, models));
			}
		}
		result.add("settings", Json.GSON.toJsonTree(rows));
		result.add("ratios", perNetworkRatios(rows));
		Json.write(out.resolve("speed-2d.json"), result);
		String md = markdown(result, rows);
		AtomicFiles.writeString(out.resolve("speed-2d.md"), md);
		System.out.print(md);
	}

	/** One row: both engines on one setting; a side that cannot run leaves a note and no ratio. */
	static JsonObject measure(Setting s, int warmup, int repeats, int threads, Path models) throws IOException, InterruptedException {
		JsonObject row = new JsonObject();
		row.addProperty("network", s.network());
		row.addProperty("batch", s.batch());
		row.addProperty("height", s.height());
		row.addProperty("width", s.width());
		try {
			Times ours = timeThisProject(s, warmup, repeats);
			row.addProperty("trainable_parameters", ours.trainableParameters());
			row.addProperty("forward_s", EngineSpeedBenchmark.median(ours.forward()));
			row.add("forward_all_s", Json.GSON.toJsonTree(ours.forward()));
			row.addProperty("train_step_s", EngineSpeedBenchmark.median(ours.trainStep()));
			row.add("train_step_all_s", Json.GSON.toJsonTree(ours.trainStep()));
			row.addProperty("optimizer_step_s", EngineSpeedBenchmark.median(ours.optimizerStep()));
			row.add("optimizer_step_all_s", Json.GSON.toJsonTree(ours.optimizerStep()));
		} catch (UserError e) {
			row.addProperty("note", "this project could not build the network: " + e.getMessage());
			System.out.println("  " + row.get("note").getAsString());
		}
		JsonObject ref = timePyTorch(s, warmup, repeats, threads, models);
		if (ref.has("error")) {
			String note = "PyTorch twin: " + ref.get("error").getAsString();
			row.addProperty("note", row.has("note") ? row.get("note").getAsString() + "; " + note : note);
			System.out.println("  " + note);
			return row;
		}
		row.addProperty("pytorch", ref.get("engine").getAsString());
		row.addProperty("trainable_parameters_pytorch", ref.get("parameters").getAsLong());
		row.addProperty("forward_s_pytorch", ref.get("forward_s").getAsDouble());
		row.add("forward_all_s_pytorch", ref.get("forward_all_s"));
		row.addProperty("train_step_s_pytorch", ref.get("train_step_s").getAsDouble());
		row.add("train_step_all_s_pytorch", ref.get("train_step_all_s"));
		row.addProperty("optimizer_step_s_pytorch", ref.get("optimizer_step_s").getAsDouble());
		if (row.has("forward_s")) {
			row.addProperty("optimizer_step_ratio", row.get("optimizer_step_s").getAsDouble() / row.get("optimizer_step_s_pytorch").getAsDouble());
			for (String what : List.of("forward", "train_step")) {
				row.addProperty(what + "_ratio", row.get(what + "_s").getAsDouble() / row.get(what + "_s_pytorch").getAsDouble());
				// the fastest repeat is the one least disturbed by other work on a shared machine
				row.addProperty(what + "_ratio_best", fastest(row.get(what + "_all_s")) / fastest(row.get(what + "_all_s_pytorch")));
			}
		}
		return row;
	}

	private static double fastest(JsonElement times) {
		double best = Double.POSITIVE_INFINITY;
		for (JsonElement t : times.getAsJsonArray()) best = Math.min(best, t.getAsDouble());
		return best;
	}

	/** Seconds per repeat of this project's forward pass, training step and AdamW update, and its trainable parameter count. */
	record Times(double[] forward, double[] trainStep, double[] optimizerStep, long trainableParameters) {}

	static Times timeThisProject(Setting s, int warmup, int repeats) {
		try (NDManager root = NDManager.newBaseManager()) {
			Map<String, Object> config = new LinkedHashMap<>();
			config.put("num_classes", CLASSES);
			config.put("in_channels", 1);
			if (s.sliceZoom() > 1) config.put(SliceZoom.OPTION, s.sliceZoom());
			Network net = NetworkFactory.create(s.architecture(), config, root, SEED);
			try (ModelTrainer trainer = new ModelTrainer("2d", net, new LrSchedule(LR, 0, 1, 1), WEIGHT_DECAY, 1, 1)) {
				long trainable = 0;
				for (Param p : net.params())
					if (p.trainable()) trainable += p.array().size();
				int pixels = s.height() * s.width();
				Random r = new Random(SEED);
				float[] x = new float[s.batch() * pixels];
				byte[] y = new byte[s.batch() * pixels];
				for (int i = 0; i < x.length; i++) {
					x[i] = (float) r.nextGaussian();
					y[i] = (byte) r.nextInt(CLASSES);
				}
				long[] shape = { s.batch(), 1, s.height(), s.width() };
				double[] forward = timed(warmup, repeats, () -> {
					// DJL records no autograd graph outside a GradientCollector: this is the project's inference path
					try (NDManager step = net.manager().newSubManager()) {
						NDArray logits = net.forward(step.create(x, new Shape(shape)), false);
						logits.close();
					}
				});
				// the trainer works on 3-D patches and gives a 2-D network their slices: one patch of `batch` slices
				long[] patch = { 1, 1, s.batch(), s.height(), s.width() };
				double[] train = timed(warmup, repeats, () -> trainer.stepOnLabels(x, patch, y, LR));
				// the update alone: the last step's gradients (zeroed, still there) make it visit every parameter again
				double[] update = timed(warmup, repeats, () -> trainer.optimizer().step((float) LR));
				return new Times(forward, train, update, trainable);
			}
		}
	}

	private static double[] timed(int warmup, int repeats, Runnable action) {
		for (int i = 0; i < warmup; i++) action.run();
		double[] t = new double[repeats];
		for (int i = 0; i < repeats; i++) {
			long t0 = System.nanoTime();
			action.run();
			t[i] = (System.nanoTime() - t0) / 1e9;
		}
		return t;
	}

	/** Runs the PyTorch twin with the same setting and reads its JSON line; {"error": ...} if it cannot run. */
	static JsonObject timePyTorch(Setting s, int warmup, int repeats, int threads, Path models) throws IOException, InterruptedException {
		return runPython(List.of("scripts/reference/speed_2d_torch.py", "--network", s.network(), "--batch", "" + s.batch(), "--size",
			"" + s.height(), "" + s.width(), "--classes", "" + CLASSES, "--threads", "" + threads, "--warmup", "" + warmup, "--repeats",
			"" + repeats, "--models", models.toString()));
	}

	/** The twins' outputs against the golden files (max |difference| and pass/fail per network). */
	static JsonElement checkTwins(Path models) throws IOException, InterruptedException {
		if (!Files.isDirectory(models)) {
			JsonObject none = new JsonObject();
			none.addProperty("error", models + " is absent: the twins could not be checked");
			return none;
		}
		return runPython(List.of("scripts/reference/segmenters2d_torch.py", "--check", "--models", models.toString()));
	}

	/** The last stdout line of a reference script as JSON; a failure becomes {"error": the output's tail}. */
	private static JsonObject runPython(List<String> scriptAndArgs) throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>();
		cmd.add(System.getProperty("mn.python", "/usr/bin/python3"));
		cmd.addAll(scriptAndArgs);
		Process proc = EngineSpeedBenchmark.startReference(cmd);
		String text = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		int rc = proc.waitFor();
		String[] lines = text.split("\n");
		String last = lines[lines.length - 1];
		if (last.startsWith("{")) {
			JsonObject o = JsonParser.parseString(last).getAsJsonObject();
			if (rc != 0 && !o.has("error")) o.addProperty("exit_status", rc);
			return o;
		}
		JsonObject error = new JsonObject();
		error.addProperty("error", "exit status " + rc + (text.isEmpty() ? " (see the messages above)" : ": " + last));
		return error;
	}

	/** Per network: the geometric mean of its ratios over the slice sizes (null where a side did not run). */
	static JsonObject perNetworkRatios(List<JsonObject> rows) {
		Map<String, List<JsonObject>> byNetwork = new LinkedHashMap<>();
		for (JsonObject row : rows) byNetwork.computeIfAbsent(row.get("network").getAsString(), k -> new ArrayList<>()).add(row);
		JsonObject ratios = new JsonObject();
		for (Map.Entry<String, List<JsonObject>> e : byNetwork.entrySet()) {
			JsonObject r = new JsonObject();
			for (String key : List.of("forward_ratio", "train_step_ratio", "forward_ratio_best", "train_step_ratio_best")) {
				double[] v = e.getValue().stream().filter(o -> o.has(key)).mapToDouble(o -> o.get(key).getAsDouble()).toArray();
				if (v.length == e.getValue().size())
					r.addProperty(key, Math.exp(Arrays.stream(v).map(Math::log).average().orElse(Double.NaN)));
				else
					r.add(key, JsonNull.INSTANCE);
			}
			ratios.add(e.getKey(), r);
		}
		return ratios;
	}

	static String markdown(JsonObject r, List<JsonObject> rows) {
		StringBuilder b = new StringBuilder("# 2-D networks: this project (DJL 0.36, PyTorch 2.7.1 natives) vs eager PyTorch twins (Debian python3-torch)\n\n");
		b.append(String.format(Locale.ROOT, "`scripts/bench-2d-speed`, commit `%s`; %d threads, %s, oneDNN kernels %s on both sides; %d classes; median of %d repeats after %d warm-up. "
			+ "Forward: evaluation mode, no gradients. Training step: forward, KL + squared Dice, backward, AdamW, every parameter of the "
			+ "network trained (no LoRA); 'of it AdamW': the update alone. Ratio: this project's time / PyTorch's (below 1: faster). `<network>:zoom2`: slices enlarged twice "
			+ "inside the network (`slice_zoom` 2), as the main job trains its partner.%n%n",
			r.get("commit").getAsString(), r.get("threads").getAsInt(), r.get("machine").getAsString(), r.get("onednn_cap").getAsString(),
			r.get("classes").getAsInt(), r.get("repeats").getAsInt(), r.get("warmup").getAsInt()));
		b.append("| network | slices | trainable params | forward (s) | PyTorch (s) | ratio | train step (s) | PyTorch (s) | ratio | of it AdamW (s) | PyTorch (s) |\n");
		b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (JsonObject o : rows) {
			String params = text(o, "trainable_parameters", "%.0f");
			if (o.has("trainable_parameters_pytorch") && !params.equals(text(o, "trainable_parameters_pytorch", "%.0f")))
				params += " (PyTorch " + text(o, "trainable_parameters_pytorch", "%.0f") + ")";
			b.append(String.format(Locale.ROOT, "| %s | %d x 1 x %d x %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", o.get("network").getAsString(),
				o.get("batch").getAsInt(), o.get("height").getAsInt(), o.get("width").getAsInt(), params, text(o, "forward_s", "%.3f"),
				text(o, "forward_s_pytorch", "%.3f"), text(o, "forward_ratio", "%.2f"), text(o, "train_step_s", "%.3f"),
				text(o, "train_step_s_pytorch", "%.3f"), text(o, "train_step_ratio", "%.2f"), text(o, "optimizer_step_s", "%.3f"),
				text(o, "optimizer_step_s_pytorch", "%.3f")));
		}
		b.append("\nPer network (geometric mean over the slice sizes; \"fastest\": fastest repeat over fastest repeat, less sensitive to other load):\n\n"
			+ "| network | forward ratio | train step ratio | forward ratio, fastest | train step ratio, fastest |\n|---|---|---|---|---|\n");
		for (Map.Entry<String, JsonElement> e : r.getAsJsonObject("ratios").entrySet()) {
			JsonObject o = e.getValue().getAsJsonObject();
			b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", e.getKey(), text(o, "forward_ratio", "%.2f"),
				text(o, "train_step_ratio", "%.2f"), text(o, "forward_ratio_best", "%.2f"), text(o, "train_step_ratio_best", "%.2f")));
		}
		b.append("\nTwin check (the PyTorch twins' pretrained outputs against the golden files in shared/models): ")
			.append(twinCheck(r.getAsJsonObject("twin_check"))).append('\n');
		for (JsonObject o : rows)
			if (o.has("note")) b.append("\nNote, ").append(o.get("network").getAsString()).append(": ").append(o.get("note").getAsString()).append('\n');
		return b.toString();
	}

	private static String twinCheck(JsonObject check) {
		if (check.has("error")) return check.get("error").getAsString();
		List<String> parts = new ArrayList<>();
		for (Map.Entry<String, JsonElement> e : check.entrySet()) {
			if (!e.getValue().isJsonObject()) continue;
			JsonObject o = e.getValue().getAsJsonObject();
			String what = o.has("compared") ? o.get("compared").getAsString() : "logits";
			parts.add(String.format(Locale.ROOT, "%s %s (max |difference| %.1e, %s up to %.2g)", e.getKey(),
				o.get("ok").getAsBoolean() ? "matches" : "DIFFERS", o.get("max_abs_diff").getAsDouble(), what, o.get("max_abs_logit").getAsDouble()));
		}
		return parts.isEmpty() ? "no golden files found" : String.join("; ", parts) + ".";
	}

	private static String text(JsonObject o, String key, String format) {
		return o.has(key) && !o.get(key).isJsonNull() ? String.format(Locale.ROOT, format, o.get(key).getAsDouble()) : "-";
	}
}
