package org.mnseg.spark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.cli.Main;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.io.VolumeIO;
import org.mnseg.workflow.SegmentWorkflow;

/** The Spark job on local[2] against the command line: the same labels voxel for voxel, every volume once. */
public class SparkSegmentTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path model, cohort;

	/** A tiny model trained on synthetic volumes and a cohort of ten volumes of different sizes, made once per JVM. */
	record Fixture(Path model, Path cohort) {}

	private static Fixture fixture;

	record Outcome(int code, String out, String err) {}

	private static Outcome call(boolean spark, Object... args) {
		String[] argv = new String[args.length];
		for (int i = 0; i < args.length; i++) argv[i] = args[i].toString();
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
		int code = spark ? SparkSegment.run(argv, o, e) : Main.run(argv, o, e);
		return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/** Noise and a bright ball (class 1) in a volume of the given shape. */
	private static void writeCase(Path image, Path labels, int[] s, SplittableRandom rng) {
		float[] v = new float[s[0] * s[1] * s[2]];
		byte[] l = new byte[v.length];
		int cx = 6 + rng.nextInt(s[0] - 12), cy = 6 + rng.nextInt(s[1] - 12), cz = 5 + rng.nextInt(s[2] - 10);
		for (int z = 0, k = 0; z < s[2]; z++)
			for (int y = 0; y < s[1]; y++)
				for (int x = 0; x < s[0]; x++, k++) {
					boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= 18;
					v[k] = (float) (rng.nextGaussian() * 0.3) + (in ? 2f : 0f);
					l[k] = (byte) (in ? 1 : 0);
				}
		Geometry g = new Geometry(new double[] { 1, 1, 1 }, null);
		VolumeIO.writeImage(Volume.wrap(v, new long[] { s[0], s[1], s[2] }, g), image);
		if (labels != null) VolumeIO.writeLabels(LabelVolume.wrap(l, s, g), labels);
	}

	static synchronized Fixture fixture() throws Exception {
		if (fixture != null) return fixture;
		Path root = Files.createTempDirectory("mn-spark-fixture");
		SplittableRandom rng = new SplittableRandom(3);
		Path data = root.resolve("data");
		for (int i = 0; i < 3; i++)
			writeCase(data.resolve("images/c" + i + ".nii.gz"), data.resolve("labels/c" + i + ".nii.gz"), new int[] { 24, 20, 16 }, rng);
		Path run = root.resolve("run");
		Outcome t = call(false, "train", "--dataset", data, "--labeled", 3, "--method", "labeled-only", "--out", run, "--levels", 2, "--base-filters",
			4, "--patch", "16,16,8", "--epochs", 2, "--iterations-per-epoch", 2);
		assertEquals(t.err(), 0, t.code());
		Path cohort = root.resolve("cohort");
		for (int i = 0; i < 10; i++) writeCase(cohort.resolve(String.format("case_%02d.nii.gz", i)), null, new int[] { 16 + 4 * (i % 4), 20, 12 + 2 * (i % 3) }, rng);
		fixture = new Fixture(run.resolve("model.mnmodel"), cohort);
		return fixture;
	}

	/** Exit code of the plugin's own command line. */
	static int callCli(Object... args) {
		Outcome o = call(false, args);
		assertEquals(o.err(), 0, o.code());
		return o.code();
	}

	@BeforeClass
	public static void trainTinyModelAndWriteCohort() throws Exception {
		model = fixture().model();
		cohort = fixture().cohort();
	}

	private static Map<String, byte[]> labelsIn(Path dir) throws Exception {
		Map<String, byte[]> m = new HashMap<>();
		try (var s = Files.list(dir)) {
			for (Path f : s.filter(VolumeIO::isVolumeFile).toList()) m.put(f.getFileName().toString(), VolumeIO.readLabels(f).data());
		}
		return m;
	}

	@Test
	public void localSparkEqualsTheCommandLineVoxelForVoxelLoadingTheBundleOncePerExecutor() throws Exception {
		Path cli = tmp.newFolder("cli").toPath(), spark = tmp.newFolder("spark").toPath();
		Outcome one = call(false, "segment", "--model", model, "--input", cohort, "--output", cli);
		assertEquals(one.err(), 0, one.code());
		int loadsBefore = ExecutorSegmenters.bundleLoads, networksBefore = ExecutorSegmenters.networks;
		try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("test"))) {
			SparkSegment.Summary s = SparkSegment.segment(sc, model, SegmentWorkflow.inputs(cohort), spark, false, 6, null);
			assertEquals(10, s.outcomes().size());
			assertEquals(10, s.outcomes().stream().map(SparkSegment.Outcome::input).distinct().count());
			assertEquals(0, s.failed());
		}
		// local[2]: one executor with two task slots, six partitions: one bundle read, at most one network per slot
		assertEquals(loadsBefore + 1, ExecutorSegmenters.bundleLoads);
		int networks = ExecutorSegmenters.networks - networksBefore;
		assertTrue("networks " + networks, networks >= 1 && networks <= 2);
		Map<String, byte[]> expected = labelsIn(cli), actual = labelsIn(spark);
		assertEquals(expected.keySet(), actual.keySet());
		for (String k : expected.keySet()) assertArrayEquals(k, expected.get(k), actual.get(k));
	}

	@Test
	public void theCommandRunsResumesAndRejectsMistakesWithOneLine() throws Exception {
		Path out = tmp.newFolder("resume").toPath();
		Outcome first = call(true, "segment", "--model", model, "--input", cohort, "--output", out, "--master", "local[2]");
		assertEquals(first.err(), 0, first.code());
		assertTrue(first.out(), first.out().contains("10 volume(s): 0 done before, 10 segmented, 0 failed"));
		Files.delete(out.resolve("case_03.nii.gz"));
		Files.delete(out.resolve("case_07.nii.gz"));
		Outcome again = call(true, "segment", "--model", model, "--input", cohort, "--output", out, "--master", "local[2]");
		assertEquals(again.err(), 0, again.code());
		assertTrue(again.out(), again.out().contains("10 volume(s): 8 done before, 2 segmented, 0 failed"));
		assertTrue(again.out(), again.out().contains("case_03.nii.gz: segmented") && again.out().contains("case_07.nii.gz: segmented"));

		for (List<Object> bad : List.of(List.<Object>of("--model", model, "--input", cohort), List.<Object>of("--model", model, "--input", cohort, "--output", cohort),
			List.<Object>of("--model", model, "--input", cohort, "--output", out, "--partitions", "0"), List.<Object>of("--bogus"))) {
			Outcome o = call(true, bad.toArray());
			assertEquals(o.err(), 2, o.code());
			assertEquals(o.err(), 1, o.err().strip().lines().count());
			assertTrue(o.err(), o.err().startsWith("mn-spark: "));
		}
	}
}
