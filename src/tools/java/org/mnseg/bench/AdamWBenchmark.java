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

import org.mnseg.models.NetworkFactory;
import org.mnseg.nn.AdamW;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;
import org.mnseg.nn.UNet3D;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.Json;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

/**
 * The AdamW update alone, on the parameters of the default 2-D partner and of the {@code cpu} preset's 3-D UNet: this
 * project's update with each parameter alone and in groups of several sizes (the default is
 * {@link AdamW#GROUP_VALUES}), against {@code torch.optim.AdamW} on tensors of the same shapes, side by side in one run
 * and taking turns over rounds. Each step follows a backward pass of the sum of squares of all parameters; the time is
 * the update's. Writes {@code adamw-speed.json} and {@code .md}.
 *
 * <p>Usage: {@code AdamWBenchmark [results-dir] [steps] [rounds]}; run it through scripts/bench-adamw.
 */
public final class AdamWBenchmark {
	private AdamWBenchmark() {}

	private static final long SEED = 101;
	/** Each parameter its own group (the loop over parameters), then groups of 2^18, 2^20 and all values at once. */
	static final long[] GROUP_VALUES = { 1, 1L << 18, 1L << 20, Long.MAX_VALUE };

	public static void main(String[] args) throws Exception {
		// the kernels the product runs on this processor (the cap, the gradient check); the PyTorch side gets the same cap
		org.mnseg.nn.EngineThreads.prepare();
		Path out = Paths.get(args.length > 0 ? args[0] : "results");
		int steps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
		int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
		int threads = Integer.getInteger("ai.djl.pytorch.num_threads", 2);
		Map<String, Map<String, Object>> networks = new LinkedHashMap<>();
		networks.put("mnv2-imagenet-unet", Map.of("in_channels", 1, "num_classes", 3, "slice_zoom", 2));
		networks.put(UNet3D.ARCHITECTURE, Map.of("in_channels", 1, "num_classes", 2, "levels", 4, "base_filters", 16));

		List<JsonObject> rows = new ArrayList<>();
		try (NDManager root = NDManager.newBaseManager()) {
			for (Map.Entry<String, Map<String, Object>> n : networks.entrySet()) {
				try (Network net = NetworkFactory.create(n.getKey(), new LinkedHashMap<>(n.getValue()), root, SEED)) {
					List<long[]> shapes = new ArrayList<>();
					long values = 0;
					for (Param p : net.params()) {
						shapes.add(p.array().getShape().getShape());
						values += p.array().size();
					}
					Map<String, List<Double>> medians = new LinkedHashMap<>();
					for (int round = 0; round < rounds; round++) {
						for (long group : GROUP_VALUES)
							medians.computeIfAbsent(label(group), k -> new ArrayList<>()).add(EngineSpeedBenchmark.median(timeThisProject(net, group, steps)));
						medians.computeIfAbsent("PyTorch", k -> new ArrayList<>()).add(EngineSpeedBenchmark.median(timeTorch(shapes, steps, threads)));
					}
					JsonObject row = new JsonObject();
					row.addProperty("network", n.getKey());
					row.addProperty("tensors", shapes.size());
					row.addProperty("values", values);
					row.add("median_seconds_per_round", Json.GSON.toJsonTree(medians));
					rows.add(row);
					System.out.println(n.getKey() + ": " + medians);
				}
			}
		}
		JsonObject result = EngineSpeedBenchmark.provenance(threads);
		result.addProperty("steps", steps);
		result.addProperty("rounds", rounds);
		result.add("networks", Json.GSON.toJsonTree(rows));
		Json.write(out.resolve("adamw-speed.json"), result);
		String md = markdown(result, rows);
		AtomicFiles.writeString(out.resolve("adamw-speed.md"), md);
		System.out.print(md);
	}

	private static String label(long group) {
		return group == 1 ? "each parameter alone" : group == Long.MAX_VALUE ? "all at once" : "groups of 2^" + Long.numberOfTrailingZeros(group);
	}

	/** Seconds of each update after the first three, on a fresh copy of the network's parameters. */
	static double[] timeThisProject(Network net, long group, int steps) {
		try (NDManager m = NDManager.newBaseManager()) {
			List<Param> params = new ArrayList<>();
			for (Param p : net.params()) {
				NDArray copy = p.array().duplicate();
				copy.attach(m);
				params.add(new Param(p.name(), copy));
			}
			try (AdamW opt = new AdamW(params, 0.01f, group)) {
				double[] t = new double[steps];
				for (int i = 0; i < steps; i++) {
					try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						NDArray loss = null;
						for (Param p : params) {
							NDArray squares = p.array().square();
							squares.attach(step);
							NDArray l = squares.sum();
							loss = loss == null ? l : loss.add(l);
						}
						gc.backward(loss);
					}
					long start = System.nanoTime();
					opt.step(1e-3f);
					t[i] = (System.nanoTime() - start) / 1e9;
				}
				return Arrays.copyOfRange(t, Math.min(3, steps - 1), steps);
			}
		}
	}

	static double[] timeTorch(List<long[]> shapes, int steps, int threads) throws IOException, InterruptedException {
		Path file = Files.createTempFile("adamw-shapes", ".json");
		try {
			Files.writeString(file, Json.GSON.toJson(shapes));
			List<String> cmd = List.of(System.getProperty("mn.python", "/usr/bin/python3"), "scripts/reference/adamw_speed_torch.py",
					file.toString(), Integer.toString(steps), Integer.toString(threads));
			Process proc = EngineSpeedBenchmark.startReference(cmd);
			String text = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (proc.waitFor() != 0)
				throw new IllegalStateException("the PyTorch side failed: " + String.join(" ", cmd));
			double[] t = Json.GSON.fromJson(JsonParser.parseString(text.trim()), double[].class);
			return Arrays.copyOfRange(t, Math.min(3, steps - 1), steps);
		} finally {
			Files.deleteIfExists(file);
		}
	}

	private static String markdown(JsonObject r, List<JsonObject> rows) {
		StringBuilder b = new StringBuilder("# AdamW update alone: this project (groups of parameters) vs torch.optim.AdamW\n\n");
		b.append(String.format(Locale.ROOT, "`scripts/bench-adamw`, commit `%s`; %d threads, %s, oneDNN kernels %s on both sides; %d steps per measurement (the first 3 left out), "
				+ "%d rounds taking turns. Seconds per update: the medians of the rounds (lowest-highest). Ratio: this project's median over PyTorch's. "
				+ "The default 2-D partner with slice zoom 2 and the `cpu` preset's 3-D UNet; gradients from a sum of squares.\n\n",
				r.get("commit").getAsString(), r.get("threads").getAsInt(), r.get("machine").getAsString(), r.get("onednn_cap").getAsString(),
				r.get("steps").getAsInt(),
				r.get("rounds").getAsInt()));
		b.append("| network | tensors | values | update | seconds | ratio to PyTorch |\n|---|---|---|---|---|---|\n");
		for (JsonObject row : rows) {
			JsonObject m = row.getAsJsonObject("median_seconds_per_round");
			double torch = EngineSpeedBenchmark.median(values(m, "PyTorch"));
			for (String key : m.keySet()) {
				double[] v = values(m, key);
				double med = EngineSpeedBenchmark.median(v);
				b.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.4f (%.4f-%.4f) | %s |\n", row.get("network").getAsString(),
						row.get("tensors").getAsInt(), row.get("values").getAsLong(), key, med, Arrays.stream(v).min().getAsDouble(),
						Arrays.stream(v).max().getAsDouble(), key.equals("PyTorch") ? "-" : String.format(Locale.ROOT, "%.2f", med / torch)));
			}
		}
		return b.toString();
	}

	private static double[] values(JsonObject m, String key) {
		return Json.GSON.fromJson(m.get(key), double[].class);
	}
}
