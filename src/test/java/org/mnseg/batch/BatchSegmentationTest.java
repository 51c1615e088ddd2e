package org.mnseg.batch;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.cli.Main;
import org.mnseg.data.Geometry;
import org.mnseg.data.Volume;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.workflow.SegmentWorkflow;
import org.mnseg.inference.Segmenter;

import ai.djl.Device;

/** Sharded, restartable segmentation of a cohort through the command line, as a SLURM array task runs it. */
public class BatchSegmentationTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path model, cohort;

	record Outcome(int code, String out, String err) {}

	static Outcome mn(Object... args) {
		String[] argv = new String[args.length];
		for (int i = 0; i < args.length; i++) argv[i] = args[i].toString();
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		int code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@BeforeClass
	public static void trainTinyModelAndWriteCohort() throws Exception {
		Path data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 3, 0, 11);
		Path run = tmp.getRoot().toPath().resolve("run");
		Outcome o = mn("train", "--dataset", data, "--labeled", 3, "--method", "labeled-only", "--out", run, "--levels", 2, "--base-filters", 4,
			"--patch", "16,16,8", "--epochs", 2, "--iterations-per-epoch", 2, "--threads", 2);
		assertEquals(o.err(), 0, o.code());
		model = run.resolve("model.mnmodel");
		// volumes of different sizes, so that balancing by voxels is not balancing by files
		cohort = tmp.newFolder("cohort").toPath();
		SplittableRandom rng = new SplittableRandom(5);
		for (int i = 0; i < 9; i++) {
			int[] s = { 16 + 4 * (i % 4), 20, 12 + 2 * (i % 3) };
			float[] image = new float[s[0] * s[1] * s[2]];
			// noise and a bright ball, as in the training data
			int cx = 6 + rng.nextInt(s[0] - 12), cy = 6 + rng.nextInt(s[1] - 12), cz = 5 + rng.nextInt(s[2] - 10);
			for (int z = 0, k = 0; z < s[2]; z++)
				for (int y = 0; y < s[1]; y++)
					for (int x = 0; x < s[0]; x++, k++)
						image[k] = (float) (rng.nextGaussian() * 0.3) + ((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= 18 ? 2f : 0f);
			VolumeIO.writeImage(Volume.wrap(image, new long[] { s[0], s[1], s[2] }, new Geometry(new double[] { 1, 1, 1 }, null)),
				cohort.resolve(String.format("case_%02d.nii.gz", i)));
		}
	}

	private static Map<String, byte[]> labelsIn(Path dir) throws Exception {
		Map<String, byte[]> m = new HashMap<>();
		try (var s = Files.list(dir)) {
			for (Path f : s.filter(VolumeIO::isVolumeFile).toList()) m.put(f.getFileName().toString(), VolumeIO.readLabels(f).data());
		}
		return m;
	}

	private static void assertSameLabels(Map<String, byte[]> expected, Map<String, byte[]> actual) {
		assertEquals(expected.keySet(), actual.keySet());
		for (String k : expected.keySet()) assertArrayEquals(k, expected.get(k), actual.get(k));
	}

	@Test
	public void shardsTogetherSegmentEveryVolumeOnceAndEqualOneProcess() throws Exception {
		Path single = tmp.newFolder("single").toPath(), sharded = tmp.newFolder("sharded").toPath();
		Outcome one = mn("segment", "--model", model, "--input", cohort, "--output", single);
		assertEquals(one.err(), 0, one.code());
		int n = 4, total = 0;
		for (int i = 0; i < n; i++) {
			Outcome o = mn("segment", "--model", model, "--input", cohort, "--output", sharded, "--shard", i + "/" + n);
			assertEquals(o.err(), 0, o.code());
			assertTrue(o.out(), o.out().contains("0 volume(s) done before"));
			total += o.out().lines().filter(l -> l.endsWith(": segmented")).count();
		}
		assertEquals("each volume segmented exactly once", 9, total);
		assertSameLabels(labelsIn(single), labelsIn(sharded));
		Outcome report = mn("segment", "--report", "--input", cohort, "--output", sharded);
		assertEquals(report.err(), 0, report.code());
		assertTrue(report.out(), report.out().contains("9 volume(s): 9 done, 0 missing"));
	}

	@Test
	public void aKilledShardReRunCompletesOnlyWhatIsMissing() throws Exception {
		Path out = tmp.newFolder("killed").toPath();
		List<Path> part = ShardPlan.of(SegmentWorkflow.inputs(cohort), 2).part(new Shard(1, 2));
		assertTrue(part.size() >= 4);
		// the task dies after two volumes, in the middle of writing the third (its temporary file stays behind)
		ModelBundle bundle = ModelBundle.load(model);
		List<Path> finished = new ArrayList<>();
		try (Segmenter s = new Segmenter(bundle, null, Device.cpu(), Segmenter.defaultWindow(bundle.info()))) {
			BatchSegmentation.run(s, part, out, false, (f, outcome) -> finished.add(f), () -> finished.size() >= 2);
		}
		catch (java.util.concurrent.CancellationException expected) {
			// the "kill"
		}
		assertEquals(2, finished.size());
		Path third = SegmentWorkflow.outputFor(part.get(2), out, "");
		Files.write(out.resolve("." + third.getFileName() + ".12345.part.nii.gz"), new byte[] { 31, (byte) 139, 8 });
		// the left-over is neither done nor listed as a volume of the folder (mn evaluate --pred lists it)
		assertEquals(2, SegmentWorkflow.inputs(out).size());
		Map<Path, FileTime> before = new HashMap<>();
		for (Path f : finished) before.put(f, Files.getLastModifiedTime(SegmentWorkflow.outputFor(f, out, "")));

		Outcome report = mn("segment", "--report", "--input", cohort, "--output", out);
		assertEquals(3, report.code());
		assertTrue(report.out(), report.out().contains("9 volume(s): 2 done, 7 missing (0 of them failed)"));
		assertTrue(report.err(), report.err().contains("7 of 9 volume(s) have no complete output"));

		Thread.sleep(20); // file times must be able to differ
		Outcome rerun = mn("segment", "--model", model, "--input", cohort, "--output", out, "--shard", "1/2");
		assertEquals(rerun.err(), 0, rerun.code());
		assertTrue(rerun.out(), rerun.out().contains("2 volume(s) done before, " + (part.size() - 2) + " to segment"));
		for (Path f : finished) {
			assertFalse(rerun.out(), rerun.out().contains(f.getFileName() + ": segmented"));
			assertEquals(before.get(f), Files.getLastModifiedTime(SegmentWorkflow.outputFor(f, out, "")));
		}
		for (Path f : part.subList(2, part.size())) assertTrue(rerun.out(), rerun.out().contains(f.getFileName() + ": segmented"));
		// a second re-run has nothing to do and does not even load the model
		Outcome again = mn("segment", "--model", tmp.getRoot().toPath().resolve("no-such.mnmodel"), "--input", cohort, "--output", out, "--shard", "1/2",
			"--overlap", "0.5", "--window-batch", "4");
		assertEquals(again.err(), 0, again.code());
		assertTrue(again.out(), again.out().contains(part.size() + " volume(s) done before, 0 to segment"));
	}

	@Test
	public void aFailingVolumeIsNotedReportedAndRetried() throws Exception {
		Path in = tmp.newFolder("with-bad").toPath(), out = tmp.newFolder("with-bad-out").toPath();
		Files.copy(cohort.resolve("case_00.nii.gz"), in.resolve("case_00.nii.gz"));
		Files.write(in.resolve("broken.nii.gz"), "not a volume".getBytes(StandardCharsets.UTF_8));
		Outcome o = mn("segment", "--model", model, "--input", in, "--output", out, "--shard", "0/1");
		assertEquals(o.err(), 3, o.code());
		assertTrue(o.err(), o.err().contains("1 volume(s) failed") && !o.err().contains("\tat "));
		assertTrue(Files.exists(out.resolve("case_00.nii.gz")));
		Path note = out.resolve(BatchSegmentation.FAILED_FOLDER).resolve("broken.txt");
		assertTrue(Files.exists(note));
		Outcome report = mn("segment", "--report", "--input", in, "--output", out);
		assertEquals(3, report.code());
		assertTrue(report.out(), report.out().contains("failed:  " + in.resolve("broken.nii.gz") + ": ") && report.out().contains("(1 of them failed)"));
		// fixed: the next run segments it and the note goes
		Files.copy(cohort.resolve("case_01.nii.gz"), in.resolve("broken.nii.gz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		Outcome fixed = mn("segment", "--model", model, "--input", in, "--output", out, "--skip-existing");
		assertEquals(fixed.err(), 0, fixed.code());
		assertFalse(Files.exists(note));
		assertEquals(0, mn("segment", "--report", "--input", in, "--output", out).code());
	}

	@Test
	public void listsAndMistakes() throws Exception {
		Path dir = tmp.newFolder("lists").toPath(), out = tmp.newFolder("list-out").toPath();
		Path list = dir.resolve("cohort.txt");
		Files.writeString(list, "# two volumes\n../cohort/case_03.nii.gz\n\n" + cohort.resolve("case_04.nii.gz") + "\n");
		Outcome o = mn("segment", "--model", model, "--input", list, "--output", out, "--shard", "1/2");
		assertEquals(o.err(), 0, o.code());
		assertTrue(o.out(), o.out().contains("shard 1/2: 1 of 2 volume(s)"));
		Files.writeString(list, "../cohort/case_03.nii.gz\n" + dir.resolve("other/case_03.nii.gz") + "\n");
		Outcome dup = mn("segment", "--model", model, "--input", list, "--output", out, "--shard", "0/2");
		assertEquals(2, dup.code());
		assertTrue(dup.err(), dup.err().contains("lines 1 and 2 have the same file name case_03"));
		Outcome same = mn("segment", "--model", model, "--input", cohort, "--output", cohort, "--shard", "0/2");
		assertEquals(2, same.code());
		assertTrue(same.err(), same.err().contains("also holds the input"));
		Outcome badShard = mn("segment", "--model", model, "--input", cohort, "--output", out, "--shard", "2/2");
		assertEquals(2, badShard.code());
		assertEquals(1, badShard.err().strip().lines().count());
	}
}
