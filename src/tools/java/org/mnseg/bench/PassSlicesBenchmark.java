package org.mnseg.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.mnseg.finetune.FineTuner;
import org.mnseg.finetune.FineTuning;
import org.mnseg.models.NetworkFactory;
import org.mnseg.nn.EngineThreads;
import org.mnseg.nn.Network;
import org.mnseg.nn.SliceViews;
import org.mnseg.train.LrSchedule;
import org.mnseg.train.ModelTrainer;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.Json;
import org.mnseg.util.Version;

import ai.djl.ndarray.NDManager;

/**
 * What {@code --pass-slices2d} costs in time: one training step of the 2-D partner (the ImageNet-encoder UNet, LoRA,
 * slice zoom 2, on a hippocampus batch of 2 patches x 16 slices of 48 x 32) with the batch whole and in passes of each
 * given size, in alternated rounds after a warm-up, one process, so that every setting meets the same machine. Memory
 * is measured per run by scripts/bench-train-memory (one process per setting). Writes
 * {@code <results>/pass-slices.json} and {@code .md}.
 * Usage: {@code PassSlicesBenchmark results-dir warm-up rounds pass,pass,...} (0: the whole batch).
 */
public final class PassSlicesBenchmark {
	private PassSlicesBenchmark() {}

	public static void main(String[] args) throws Exception {
		Path out = Paths.get(args[0]);
		int warmup = Integer.parseInt(args[1]), rounds = Integer.parseInt(args[2]);
		int[] passes = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
		long[] shape = { 2, 1, 16, 48, 32 };
		SplittableRandom r = new SplittableRandom(1);
		float[] x = new float[(int) (shape[0] * shape[2] * shape[3] * shape[4])];
		byte[] y = new byte[x.length];
		for (int i = 0; i < x.length; i++) {
			x[i] = (float) r.nextGaussian();
			y[i] = (byte) (r.nextInt(3) == 0 ? 1 : 0);
		}
		EngineThreads.prepare();
		int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
		Map<Integer, List<Double>> seconds = new LinkedHashMap<>();
		try (NDManager root = NDManager.newBaseManager()) {
			Network net = FineTuner.apply(NetworkFactory.create("mnv2-imagenet-unet", Map.of("num_classes", 2, "slice_zoom", 2), root, 5),
				FineTuning.defaults(), 5);
			Map<Integer, ModelTrainer> trainers = new LinkedHashMap<>();
			for (int p : passes) {
				trainers.put(p, new ModelTrainer("2d", net, SliceViews.AXIAL, p, new LrSchedule(1e-4, 0, 1, 1), 0.01, 1, 1));
				seconds.put(p, new ArrayList<>());
			}
			for (int round = 0; round < warmup + rounds; round++)
				for (int p : passes) {
					long t0 = System.nanoTime();
					trainers.get(p).stepOnLabels(x, shape, y, 1e-4);
					if (round >= warmup) seconds.get(p).add((System.nanoTime() - t0) / 1e9);
				}
			net.close();
		}
		double whole = median(seconds.get(passes[0]));
		StringBuilder md = new StringBuilder("# Training the 2-D partner in passes of slices: time per step\n\n`scripts/bench-pass-slices`, commit `"
			+ shortCommit() + "`, " + threads + " threads, " + warmup + " warm-up and " + rounds
			+ " alternated rounds. The ImageNet-encoder UNet (LoRA, slice zoom 2), one step on 2 hippocampus patches x 16 slices of 48 x 32 "
			+ "(32 slices of 96 x 64 after the zoom). The ratio is against the first setting.\n\n"
			+ "| slices per pass | median s per step | fastest s | x " + label(passes[0]) + " |\n|---|---|---|---|\n");
		List<Map<String, Object>> rows = new ArrayList<>();
		for (int p : passes) {
			double m = median(seconds.get(p));
			md.append(String.format("| %s | %.3f | %.3f | %.2f |%n", label(p), m, seconds.get(p).stream().mapToDouble(d -> d).min().orElse(0), m / whole));
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("pass_slices", p);
			row.put("seconds", seconds.get(p));
			row.put("median_s", m);
			row.put("over_first", m / whole);
			rows.add(row);
		}
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("benchmark", "scripts/bench-pass-slices");
		doc.put("commit", Version.commit());
		doc.put("threads", threads);
		doc.put("batch", "2 x 1 x 16 x 48 x 32, mnv2-imagenet-unet, lora, slice_zoom 2");
		doc.put("rows", rows);
		Json.write(out.resolve("pass-slices.json"), Json.GSON.toJsonTree(doc));
		AtomicFiles.writeString(out.resolve("pass-slices.md"), md.toString());
		System.out.print(md);
	}

	private static String shortCommit() {
		String c = Version.commit();
		return c.length() > 10 ? c.substring(0, 10) : c;
	}

	private static String label(int p) {
		return p == 0 ? "all (32)" : Integer.toString(p);
	}

	private static double median(List<Double> v) {
		double[] s = v.stream().mapToDouble(d -> d).sorted().toArray();
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}
}
