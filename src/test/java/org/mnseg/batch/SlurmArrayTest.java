package org.mnseg.batch;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.SharedData;

/**
 * A real SLURM (Debian's slurm-wlm as a one-node cluster started by {@code scripts/cluster/slurm-local}) runs the
 * sample batch script {@code scripts/cluster/segment-array.sbatch} as a 4-task array over hippocampus test volumes:
 * every volume is segmented by exactly one task, and the labels equal those of one {@code mn segment} process.
 * Skips with a message where SLURM is not installed ({@code scripts/cluster/slurm-local install}) or cannot start
 * (not root), or where the shared data is absent. The daemons are stopped after the test.
 */
public class SlurmArrayTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static final Path PROJECT = Paths.get("").toAbsolutePath();
	private static final Path SLURM_LOCAL = PROJECT.resolve("scripts/cluster/slurm-local");
	private static Path slurmDir;
	private static boolean started;

	record Run(int code, String output) {}

	private static Run run(Map<String, String> env, long timeoutSeconds, String... command) throws IOException, InterruptedException {
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
		pb.environment().putAll(env);
		Path log = Files.createTempFile(tmp.getRoot().toPath(), "process", ".log");
		pb.redirectOutput(log.toFile());
		Process p = pb.start();
		if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			return new Run(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n" + Files.readString(log));
		}
		return new Run(p.exitValue(), Files.readString(log));
	}

	private static Map<String, String> slurmEnv() {
		return Map.of("MN_SLURM_DIR", slurmDir.toString(), "MN_SLURM_PORT", "16817", "MN_SLURM_NO_INSTALL", "1", "SLURM_CONF",
			slurmDir.resolve("slurm.conf").toString());
	}

	@BeforeClass
	public static void startSlurm() throws Exception {
		SharedData.require("data/hippocampus");
		// a short path: munge's socket path must stay under 108 characters
		slurmDir = Files.createTempDirectory(Paths.get("/tmp"), "mn-slurm-test");
		Run r = run(slurmEnv(), 60, SLURM_LOCAL.toString(), "start");
		started = true; // even a failed start may have left a daemon: stop in any case
		String why = r.output().strip().lines().reduce((a, b) -> b).orElse("");
		assumeTrue("skipped: no SLURM cluster could be started on this machine: " + why, r.code() == 0);
	}

	@AfterClass
	public static void stopSlurm() throws Exception {
		if (started) {
			Run r = run(slurmEnv(), 30, SLURM_LOCAL.toString(), "stop");
			assertEquals(r.output(), 0, r.code());
		}
	}

	/** The case ids of a split of the data set's dataset.json. */
	static List<String> split(Path dataset, String name) throws IOException {
		com.google.gson.JsonArray a = com.google.gson.JsonParser.parseString(Files.readString(dataset.resolve("dataset.json"))).getAsJsonObject()
			.getAsJsonObject("split").getAsJsonArray(name);
		List<String> ids = new ArrayList<>();
		a.forEach(e -> ids.add(e.getAsString()));
		return ids;
	}

	@Test
	public void fourTaskArraySegmentsEveryVolumeOnceAsOneProcessDoes() throws Exception {
		Path hippocampus = SharedData.require("data/hippocampus");
		Path work = tmp.newFolder("work").toPath();
		// the cohort: ten test-split volumes as a .txt list (absolute paths), and a small model trained here
		List<String> ids = split(hippocampus, "test").subList(0, 10);
		List<String> lines = new ArrayList<>();
		for (String id : ids) lines.add(hippocampus.resolve("imagesTr/" + id + ".nii.gz").toString());
		Path list = work.resolve("cohort.txt");
		Files.write(list, lines);
		Path train = work.resolve("train");
		Files.createDirectories(train.resolve("images"));
		Files.createDirectories(train.resolve("labels"));
		for (String id : split(hippocampus, "train").subList(0, 2)) {
			Files.createSymbolicLink(train.resolve("images/" + id + ".nii.gz"), hippocampus.resolve("imagesTr/" + id + ".nii.gz"));
			Files.createSymbolicLink(train.resolve("labels/" + id + ".nii.gz"), hippocampus.resolve("labelsTr/" + id + ".nii.gz"));
		}
		Path run = work.resolve("run");
		BatchSegmentationTest.Outcome t = BatchSegmentationTest.mn("train", "--dataset", train, "--labeled", 2, "--method", "labeled-only", "--out", run,
			"--levels", 2, "--base-filters", 4, "--patch", "16,16,8", "--epochs", 1, "--iterations-per-epoch", 2);
		assertEquals(t.err(), 0, t.code());
		Path model = run.resolve("model.mnmodel");

		// the array runs the project's classes through a launcher like scripts/mn (the jar is not built in the test phase)
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		Path launcher = work.resolve("mn");
		Files.writeString(launcher, "#!/usr/bin/env bash\nexec '" + Paths.get(System.getProperty("java.home"), "bin", "java") + "' $MN_JAVA_OPTS "
			+ "-Dai.djl.offline=true -cp '" + classPath + "' org.mnseg.cli.Main \"$@\"\n");
		launcher.toFile().setExecutable(true);
		Path out = work.resolve("labels");
		Map<String, String> env = new HashMap<>(slurmEnv());
		env.putAll(Map.of("MODEL", model.toString(), "INPUT", list.toString(), "OUTPUT", out.toString(), "MN", launcher.toString(), "MN_JAVA_OPTS",
			"-Xmx1g"));
		long start = System.nanoTime();
		Run submit = run(env, 30, "sbatch", "--parsable", "--array=0-3", "--chdir=" + work, "--output=" + work.resolve("task-%a.out"),
			PROJECT.resolve("scripts/cluster/segment-array.sbatch").toString());
		assertEquals(submit.output(), 0, submit.code());
		String job = submit.output().strip().split(";")[0];
		// our own polling: sbatch --wait checks only every few tens of seconds
		String states = "";
		while (System.nanoTime() - start < 80e9) {
			Run q = run(env, 10, "squeue", "-h", "-j", job, "-o", "%i");
			if (q.code() == 0 && q.output().isBlank()) {
				states = run(env, 10, "scontrol", "-o", "show", "job", job).output();
				break;
			}
			Thread.sleep(300);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		System.out.println("SLURM array of 4 tasks over " + ids.size() + " volumes: " + String.format("%.1f", seconds) + " s");
		StringBuilder logs = new StringBuilder();
		Map<String, Integer> segmentedBy = new HashMap<>();
		Pattern done = Pattern.compile("^(\\S+\\.nii\\.gz): segmented$", Pattern.MULTILINE);
		for (int task = 0; task < 4; task++) {
			Path log = work.resolve("task-" + task + ".out");
			String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
			logs.append("--- task ").append(task).append(":\n").append(text);
			assertTrue(text, text.contains("shard " + task + "/4:"));
			for (Matcher m = done.matcher(text); m.find();) segmentedBy.merge(m.group(1), 1, Integer::sum);
		}
		assertEquals("array tasks completed\n" + states + logs, 4, Pattern.compile("JobState=COMPLETED").matcher(states).results().count());
		assertEquals(logs.toString(), ids.size(), segmentedBy.size());
		segmentedBy.forEach((f, n) -> assertEquals(f + " segmented " + n + " times\n" + logs, 1, (int) n));

		// one process, in this JVM, gives the same labels voxel for voxel
		Path single = work.resolve("single");
		BatchSegmentationTest.Outcome one = BatchSegmentationTest.mn("segment", "--model", model, "--input", list, "--output", single);
		assertEquals(one.err(), 0, one.code());
		for (String id : ids)
			assertArrayEquals(id, VolumeIO.readLabels(single.resolve(id + ".nii.gz")).data(), VolumeIO.readLabels(out.resolve(id + ".nii.gz")).data());
		assertEquals(0, BatchSegmentationTest.mn("segment", "--report", "--input", list, "--output", out).code());
	}
}
