package org.mnseg.cli;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.bundle.TensorStore;
import org.mnseg.data.Volume;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.SyntheticDataset;

/**
 * NaN or infinite voxels in an image, through the command line: training and segmentation stop before any work with
 * one line that names the file and the count, exit code 2, and no output.
 */
public class NonFiniteInputTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path data;
	private static Path model;

	@BeforeClass
	public static void trainTinyModel() throws Exception {
		data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 3, 0, 1, 5);
		Path run = tmp.getRoot().toPath().resolve("run");
		MainTest.Outcome o = MainTest.mn("train", "--dataset", data.toString(), "--labeled", "3", "--method", "labeled-only", "--out", run.toString(),
			"--levels", "2", "--base-filters", "4", "--patch", "16,16,8", "--epochs", "1", "--iterations-per-epoch", "1", "--threads", "2");
		assertEquals(o.err(), 0, o.code());
		model = run.resolve("model.mnmodel");
	}

	/** Rewrites an image file with 3 NaN and 2 infinite voxels. */
	private static void poison(Path image) {
		Volume v = VolumeIO.readImage(image);
		float[] d = v.data();
		d[0] = Float.NaN;
		d[10] = Float.NaN;
		d[d.length - 1] = Float.NaN;
		d[20] = Float.POSITIVE_INFINITY;
		d[30] = Float.NEGATIVE_INFINITY;
		VolumeIO.writeImage(v, image);
	}

	private static void assertNamesFileAndCount(MainTest.Outcome o, Path file) {
		assertEquals(o.err(), 2, o.code());
		String err = o.err();
		assertTrue(err, err.contains(file.toString()) && err.contains("has 5 of ") && err.contains("NaN or infinite") && err.contains("Replace them"));
		assertFalse(err, err.contains("Exception") || err.contains("\tat "));
	}

	@Test
	public void segmentRefusesANanVolumeAndWritesNothing() throws Exception {
		Path input = tmp.newFolder("in").toPath().resolve("nan.nii.gz");
		Files.copy(data.resolve("test/images/test00.nii.gz"), input);
		poison(input);
		Path out = tmp.newFolder("out").toPath();
		MainTest.Outcome o = MainTest.mn("segment", "--model", model.toString(), "--input", input.toString(), "--output", out.toString(), "--probabilities");
		assertNamesFileAndCount(o, input);
		try (Stream<Path> files = Files.list(out)) {
			assertEquals(0, files.count());
		}
	}

	@Test
	public void trainRefusesADataSetWithANanVolumeAndWritesNoModel() throws Exception {
		Path bad = tmp.newFolder("bad").toPath();
		SyntheticDataset.write(bad, 3, 0, 0, 5);
		Path image = bad.resolve("images/case01.nii.gz");
		poison(image);
		Path run = tmp.getRoot().toPath().resolve("badrun");
		MainTest.Outcome o = MainTest.mn("train", "--dataset", bad.toString(), "--labeled", "3", "--method", "labeled-only", "--out", run.toString(),
			"--levels", "2", "--base-filters", "4", "--patch", "16,16,8", "--epochs", "1", "--iterations-per-epoch", "1", "--threads", "2");
		assertNamesFileAndCount(o, image);
		assertFalse(Files.exists(run.resolve("model.mnmodel")));
		assertFalse(Files.exists(run.resolve("checkpoint.mnckpt")));
	}

	/** The poisoned file with its bad voxels set to {@code value} by hand: what --replace-nan must amount to. */
	private static Path repairedCopy(Path poisoned, Path target, float value) {
		Volume v = VolumeIO.readImage(poisoned, value);
		VolumeIO.writeImage(v, target);
		float[] d = VolumeIO.readImage(target).data();
		assertTrue(d[0] == value && d[20] == value && d[30] == value);
		return target;
	}

	@Test
	public void segmentWithReplaceNanSegmentsAsIfTheFileHeldTheValue() throws Exception {
		Path in = tmp.newFolder("in-replace").toPath(), input = in.resolve("nan.nii.gz");
		Files.copy(data.resolve("test/images/test00.nii.gz"), input);
		poison(input);
		Path fixed = repairedCopy(input, tmp.newFolder("fixed").toPath().resolve("nan.nii.gz"), 0.5f);
		Path out = tmp.newFolder("out-replace").toPath(), want = tmp.newFolder("out-fixed").toPath();
		MainTest.Outcome o = MainTest.mn("segment", "--model", model.toString(), "--input", input.toString(), "--output", out.toString(), "--replace-nan",
			"0.5", "--probabilities");
		assertEquals(o.err(), 0, o.code());
		o = MainTest.mn("segment", "--model", model.toString(), "--input", fixed.toString(), "--output", want.toString(), "--probabilities");
		assertEquals(o.err(), 0, o.code());
		for (String f : new String[] { "nan.nii.gz", "nan_foreground_probability.nii.gz" }) {
			float[] p = VolumeIO.readImage(out.resolve(f)).data();
			assertArrayEquals(f, VolumeIO.readImage(want.resolve(f)).data(), p, 0f);
		}
	}

	@Test
	public void trainWithReplaceNanRecordsItInThePlanAndTrainsAsOnTheRepairedData() throws Exception {
		Path bad = tmp.newFolder("bad-replace").toPath(), fixed = tmp.newFolder("fixed-replace").toPath();
		SyntheticDataset.write(bad, 3, 0, 0, 5);
		SyntheticDataset.write(fixed, 3, 0, 0, 5);
		poison(bad.resolve("images/case01.nii.gz"));
		repairedCopy(bad.resolve("images/case01.nii.gz"), fixed.resolve("images/case01.nii.gz"), 0f);
		Path run = tmp.getRoot().toPath().resolve("replaced"), want = tmp.getRoot().toPath().resolve("repaired");
		MainTest.Outcome o = MainTest.mn(DataSafetyTest.tinyTraining(bad, run, "--replace-nan", "0"));
		assertEquals(o.err(), 0, o.code());
		o = MainTest.mn(DataSafetyTest.tinyTraining(fixed, want));
		assertEquals(o.err(), 0, o.code());
		String plan = Files.readString(run.resolve("plan.json"));
		assertTrue(plan, plan.contains("\"replaceNan\": \"0\""));
		Map<String, TensorStore.Tensor> got = ModelBundle.load(run.resolve("model.mnmodel")).models().get("3d").weights().asMap();
		Map<String, TensorStore.Tensor> expected = ModelBundle.load(want.resolve("model.mnmodel")).models().get("3d").weights().asMap();
		for (String name : expected.keySet()) assertArrayEquals(name, expected.get(name).data(), got.get(name).data(), 0f);
	}
}
