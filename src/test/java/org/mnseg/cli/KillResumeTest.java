package org.mnseg.cli;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.bundle.TensorStore;
import org.mnseg.testutil.SyntheticDataset;

/**
 * Fault test: an {@code mn train} process killed with SIGKILL at random moments (inside steps, around checkpoint
 * writes, around the write of the warm-up's {@code stage-one.mnckpt}) and resumed each time ends with a bundle whose
 * weights equal, bit for bit, those of the same run left alone, and leaves no {@code .part} file behind.
 */
public class KillResumeTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	static final Pattern EPOCH = Pattern.compile("\\[(3d|2d)\\] epoch (\\d+)/");
	private static final int EPOCHS = 8;

	/** M&N with a tiny randomly initialised SegFormer as the 2-D model: no pretrained file needed. */
	static List<String> trainCommand(Path data, Path run, boolean resume) {
		List<String> cmd = mnCommand("1g", List.of("train", "--dataset", data.toString(), "--labeled", "2", "--method", "mn", "--out", run.toString(),
			"--seed", "5", "--threads", "1", "--levels", "2", "--base-filters", "4", "--patch", "16,16,8", "--batch-size", "3",
			"--epochs", "" + EPOCHS, "--stage-one-epochs", "3", "--iterations-per-epoch", "3", "--warmup-epochs", "1", "--slices2d", "4",
			"--foreground-refresh", "0.75", "--architecture2d", "segformer", "--pretrained2d", "false", "--fine-tuning", "whole", "--options2d",
			"{\"hidden_sizes\":[8,16,24,32],\"depths\":[1,1,1,1],\"num_attention_heads\":[1,1,2,2],\"sr_ratios\":[4,2,1,1],"
				+ "\"patch_sizes\":[7,3,3,3],\"strides\":[4,2,2,2],\"mlp_ratios\":[4,4,4,4],\"decoder_hidden_size\":16}"));
		if (resume) cmd.add("--resume");
		return cmd;
	}

	/** The java command line that runs {@code mn} with {@code args} in a fresh JVM of at most {@code maxHeap} (e.g. "1g"). */
	static List<String> mnCommand(String maxHeap, List<String> args) {
		List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
			"-Dai.djl.offline=true", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), "org.mnseg.cli.Main"));
		cmd.addAll(args);
		return cmd;
	}

	static Process start(List<String> cmd) throws IOException {
		return start(cmd, null);
	}

	/** Starts {@code cmd} in {@code workingDir} (null: this process's). */
	static Process start(List<String> cmd, Path workingDir) throws IOException {
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		if (workingDir != null) pb.directory(workingDir.toFile());
		return withOneThread(pb).start();
	}

	/** {@code pb} with the same thread team on every run, whatever the machine's load. */
	static ProcessBuilder withOneThread(ProcessBuilder pb) {
		pb.environment().putAll(Map.of("OMP_NUM_THREADS", "1", "OMP_DYNAMIC", "false", "MKL_DYNAMIC", "false"));
		return pb;
	}

	/** Runs to the end; returns the output. */
	private static String runToEnd(List<String> cmd) throws Exception {
		Process p = start(cmd);
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue("training did not finish in time", p.waitFor(5, TimeUnit.MINUTES));
		assertEquals(out, 0, p.exitValue());
		return out;
	}

	/**
	 * Starts the run (or resumes it) and kills it {@code delayMs} after the first line reporting epoch {@code epoch}
	 * of either model; returns false when the run ended before that.
	 */
	private static boolean killAfter(List<String> cmd, int epoch, long delayMs) throws Exception {
		Process p = start(cmd);
		StringBuilder log = new StringBuilder();
		try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line; (line = r.readLine()) != null;) {
				log.append(line).append('\n');
				Matcher m = EPOCH.matcher(line);
				if (m.find() && Integer.parseInt(m.group(2)) >= epoch) {
					Thread.sleep(delayMs);
					p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
					p.waitFor(30, TimeUnit.SECONDS);
					return true;
				}
			}
		}
		assertTrue("a killed run's process did not end", p.waitFor(5, TimeUnit.MINUTES));
		assertEquals(log.toString(), 0, p.exitValue());
		return false;
	}

	@Test
	public void aRunKilledAtRandomMomentsResumesToTheUninterruptedWeights() throws Exception {
		Path data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 3, 31);
		Path reference = tmp.getRoot().toPath().resolve("reference");
		runToEnd(trainCommand(data, reference, false));

		Path run = tmp.getRoot().toPath().resolve("killed");
		Random random = new Random(13);
		// epochs 2..8 (1-based, as printed): the warm-up, the stage-one write after epoch 3, co-training; delays of up to
		// half a second land inside steps and inside the checkpoint write that follows an epoch
		boolean first = true;
		int kills = 0;
		Path bundle = run.resolve("model.mnmodel");
		for (int epoch : new int[] { 2, 3, 4, 6, 7 }) {
			if (!killAfter(trainCommand(data, run, !first), epoch, random.nextInt(300))) break;
			first = false;
			// on a fast machine a late kill can land after the run wrote its model: then it has ended and is not resumed
			if (Files.exists(bundle)) break;
			kills++;
		}
		assertTrue("fewer than 3 kills landed inside the run: " + kills, kills >= 3);
		String last = Files.exists(bundle) ? "(ended during the last kill)" : runToEnd(trainCommand(data, run, true));

		for (String role : List.of("3d", "2d")) {
			Map<String, TensorStore.Tensor> want = ModelBundle.load(reference.resolve("model.mnmodel")).models().get(role).weights().asMap();
			Map<String, TensorStore.Tensor> got = ModelBundle.load(run.resolve("model.mnmodel")).models().get(role).weights().asMap();
			assertEquals(want.keySet(), got.keySet());
			for (String name : want.keySet())
				assertArrayEquals(role + " " + name + " after " + kills + " kills\n" + last, want.get(name).data(), got.get(name).data(), 0f);
		}
		try (Stream<Path> files = Files.walk(run)) {
			List<Path> parts = files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
			assertTrue("left behind: " + parts, parts.isEmpty());
		}
		assertTrue(Files.isRegularFile(run.resolve("stage-one.mnckpt")));
	}
}
