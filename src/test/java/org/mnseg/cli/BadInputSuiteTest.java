package org.mnseg.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.FileChecksums;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.workflow.RunFolder;

/**
 * A hostile but realistic user: bad inputs of every kind, built here (no shared data), each run through the command
 * line's entry point. Every one must end with exit code 2 and one line on stderr that holds the case's key words and no
 * stack trace, and must leave every file that existed before (inputs, models, earlier results) byte for byte as it
 * was. Only folders named {@code new-*} (a run folder a refused training was about to use) may gain files.
 */
@RunWith(Parameterized.class)
public class BadInputSuiteTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	/** The files the cases refer to, built once. */
	static final class Fixture {
		Path root, data, model, run, images, labels, image, label, bad, resultsOnly, locked, report, zip, nanData;
		RunFolder lock;

		String s(Path p) {
			return p.toString();
		}

		Path bad(String name) {
			return bad.resolve(name);
		}
	}

	private static final Fixture F = new Fixture();

	/** One bad input: the command line, and words its message must hold. */
	record Case(String name, Function<Fixture, String[]> argv, String... keyWords) {
		@Override
		public String toString() {
			return name;
		}
	}

	@BeforeClass
	public static void buildInputs() throws Exception {
		Fixture f = F;
		f.root = tmp.getRoot().toPath();
		f.data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 3, 0, 2, 9);
		f.run = f.root.resolve("run");
		MainTest.Outcome o = MainTest.mn(DataSafetyTest.tinyTraining(f.data, f.run));
		assertEquals(o.err(), 0, o.code());
		f.model = f.run.resolve("model.mnmodel");
		f.images = f.data.resolve("test/images");
		f.labels = f.data.resolve("test/labels");
		f.image = f.images.resolve("test00.nii.gz");
		f.label = f.labels.resolve("test00.nii.gz");
		f.bad = tmp.newFolder("bad").toPath();

		// volumes: NaN voxels, not a volume at all, a folder with none
		Volume v = VolumeIO.readImage(f.image);
		float[] d = v.data();
		d[3] = Float.NaN;
		d[7] = Float.POSITIVE_INFINITY;
		VolumeIO.writeImage(v, f.bad("nan.nii.gz"));
		Files.writeString(f.bad("garbage.nii.gz"), "not a volume");
		Files.createDirectories(f.bad("empty"));
		Files.writeString(f.bad("not-volumes.txt"), "notes.doc\n");
		Files.createDirectories(f.bad("a"));
		Files.createDirectories(f.bad("b"));
		Files.copy(f.image, f.bad("a/x.nii.gz"));
		Files.copy(f.image, f.bad("b/x.nii.gz"));
		Files.writeString(f.bad("same-names.txt"), "a/x.nii.gz\nb/x.nii.gz\n");
		Files.createDirectories(f.bad("images-and-output"));
		Files.copy(f.image, f.bad("images-and-output/test00.nii.gz"));

		// model bundles: cut in half, not a zip
		byte[] bundle = Files.readAllBytes(f.model);
		Files.write(f.bad("half.mnmodel"), Arrays.copyOf(bundle, bundle.length / 2));
		Files.writeString(f.bad("text.mnmodel"), "not a model");
		byte[] flipped = bundle.clone();
		flipped[flipped.length / 2] ^= 0x10;
		Files.write(f.bad("flipped.mnmodel"), flipped);

		// data sets: JSON that is not, a case whose files are missing, a NaN image, a folder without images/
		Files.createDirectories(f.bad("json-broken"));
		Files.writeString(f.bad("json-broken/dataset.json"), "{\"labels\": {\"0\": \"bg\", ");
		Files.createDirectories(f.bad("json-missing-case"));
		Files.writeString(f.bad("json-missing-case/dataset.json"), "{\"labels\": {\"0\": \"bg\", \"1\": \"fg\"}, \"split\": {\"train\": [\"c9\"]}}");
		Files.createDirectories(f.bad("no-images"));
		Files.createDirectories(f.bad("json-leak/imagesTr"));
		Files.createDirectories(f.bad("json-leak/labelsTr"));
		Files.copy(f.image, f.bad("json-leak/imagesTr/c1.nii.gz"));
		Files.copy(f.label, f.bad("json-leak/labelsTr/c1.nii.gz"));
		Files.writeString(f.bad("json-leak/dataset.json"), "{\"labels\": {\"0\": \"bg\", \"1\": \"fg\", \"2\": \"box\"}, \"split\": {\"train\": [\"c1\"], "
			+ "\"test\": [\"c1\"]}}");
		f.nanData = SyntheticDataset.write(tmp.newFolder("nan-data").toPath(), 3, 0, 0, 4);
		Volume first = VolumeIO.readImage(f.nanData.resolve("images/case01.nii.gz"));
		first.data()[0] = Float.NaN;
		VolumeIO.writeImage(first, f.nanData.resolve("images/case01.nii.gz"));

		// run folders: results without checkpoint, a file, one held by a running training
		f.resultsOnly = tmp.newFolder("results-only").toPath();
		for (String file : new String[] { "model.mnmodel", "result.json", "log.csv" }) Files.copy(f.run.resolve(file), f.resultsOnly.resolve(file));
		Files.writeString(f.bad("a-file"), "the user's notes");
		f.locked = tmp.newFolder("locked").toPath();
		Files.copy(f.run.resolve("checkpoint.mnckpt"), f.locked.resolve("checkpoint.mnckpt"));
		f.lock = RunFolder.claim(f.locked, true, false);

		// evaluation: a prediction folder missing a case, one with a case the truth lacks, other spacing, shape and classes
		LabelVolume truth = VolumeIO.readLabels(f.label);
		Files.createDirectories(f.bad("pred-missing"));
		Files.copy(f.label, f.bad("pred-missing/test00.nii.gz"));
		Files.createDirectories(f.bad("pred-extra"));
		for (String id : new String[] { "test00", "test01", "test07" }) Files.copy(f.label, f.bad("pred-extra/" + id + ".nii.gz"));
		VolumeIO.writeLabels(LabelVolume.wrap(truth.data().clone(), truth.shape(), new Geometry(new double[] { 2, 2, 2 }, null)),
			f.bad("spacing.nii.gz"));
		VolumeIO.writeLabels(LabelVolume.wrap(new byte[8 * 8 * 8], new int[] { 8, 8, 8 }, truth.geometry()), f.bad("shape.nii.gz"));
		byte[] extraClass = truth.data().clone();
		extraClass[0] = 3;
		VolumeIO.writeLabels(LabelVolume.wrap(extraClass, truth.shape(), truth.geometry()), f.bad("class3.nii.gz"));
		f.report = f.root.resolve("report.json");
		Files.writeString(f.report, "{\"an\": \"earlier report\"}");
		f.zip = f.root.resolve("model.zip");
		Files.writeString(f.zip, "an earlier export");

		// an earlier segmentation in a folder of its own
		Path seg = tmp.newFolder("seg").toPath();
		Files.copy(f.label, seg.resolve("test00.nii.gz"));
	}

	@AfterClass
	public static void release() {
		if (F.lock != null) F.lock.close();
	}

	private static String[] a(String... argv) {
		return argv;
	}

	@Parameters(name = "{0}")
	public static List<Case> cases() {
		List<Case> c = new ArrayList<>();
		// the command line itself
		c.add(new Case("unknown command", f -> a("fly"), "unknown command 'fly'"));
		c.add(new Case("unknown option", f -> a("segment", "--model", f.s(f.model), "--input", f.s(f.image), "--output", f.s(f.root.resolve("new-o")),
			"--bogus", "1"), "unknown option --bogus"));
		c.add(new Case("option without value", f -> a("evaluate", "--pred"), "--pred needs a value"));
		c.add(new Case("option given twice", f -> a("segment", "--model", f.s(f.model), "--model", f.s(f.model)), "--model was given twice"));
		c.add(new Case("required option missing", f -> a("segment", "--input", f.s(f.image), "--output", f.s(f.root.resolve("new-o"))),
			"--model is required"));
		c.add(new Case("stray argument", f -> a("segment", "volume.nii.gz"), "unexpected argument 'volume.nii.gz'"));
		c.add(new Case("threads zero", f -> a("evaluate", "--threads", "0", "--pred", f.s(f.label), "--truth", f.s(f.label)), "--threads", "at least 1"));
		c.add(new Case("threads not a number", f -> a("evaluate", "--threads", "many", "--pred", f.s(f.label), "--truth", f.s(f.label)), "'many'"));
		c.add(new Case("threads far too many", f -> a("segment", "--threads", "100000", "--model", f.s(f.model), "--input", f.s(f.image), "--output",
			f.s(f.root.resolve("new-o"))), "--threads 100000", "per core", "at most"));
		c.add(new Case("threads beyond int", f -> a("train", "--threads", "99999999999", "--dataset", f.s(f.data), "--out", f.s(f.root.resolve("new-t"))),
			"--threads", "whole number"));

		// training options, refused by the plan before any volume is read
		String[][] options = { { "epochs", "0" }, { "epochs", "-3" }, { "batch-size", "0" }, { "iterations-per-epoch", "0" }, { "lr3d", "NaN" },
			{ "lr3d", "-1" }, { "lr2d", "Infinity" }, { "stage-one-fraction", "2" }, { "overlap", "1" }, { "foreground-refresh", "2" },
			{ "epochs", "abc" } };
		for (String[] o : options)
			c.add(new Case("train --" + o[0] + " " + o[1], f -> trainArgs(f, "new-t", "--" + o[0], o[1]), "--" + o[0]));
		c.add(new Case("train patch not halvable", f -> trainArgs(f, "new-t", "--patch", "15,16,8"), "--patch"));
		c.add(new Case("train patch of two sides", f -> trainArgs(f, "new-t", "--patch", "16,16"), "--patch"));
		c.add(new Case("train unknown 2-D network", f -> trainArgs(f, "new-t", "--architecture2d", "segformer-b9"), "--architecture2d", "segformer-b9"));
		c.add(new Case("train unknown lrg", f -> trainArgs(f, "new-t", "--lrg", "sideways"), "--lrg", "sideways"));
		c.add(new Case("train options2d not JSON", f -> trainArgs(f, "new-t", "--options2d", "slice_zoom=2"), "--options2d"));
		c.add(new Case("train unknown option", f -> trainArgs(f, "new-t", "--learning-rate", "1"), "--learning-rate"));
		c.add(new Case("train unknown method", f -> a("train", "--dataset", f.s(f.data), "--out", f.s(f.root.resolve("new-t")), "--method", "magic"),
			"magic"));
		c.add(new Case("train unknown preset", f -> trainArgs(f, "new-t", "--preset", "gpu-farm"), "gpu-farm"));
		c.add(new Case("train labeled subset not offered", f -> a("train", "--dataset", f.s(f.data), "--out", f.s(f.root.resolve("new-t")), "--labeled",
			"99"), "99"));
		c.add(new Case("train labeled negative", f -> a("train", "--dataset", f.s(f.data), "--out", f.s(f.root.resolve("new-t")), "--labeled", "-1"),
			"--labeled", "'all'"));
		c.add(new Case("train stage-one-from nowhere", f -> a("train", "--dataset", f.s(f.data), "--out", f.s(f.root.resolve("new-t")), "--labeled", "3",
			"--method", "mn", "--stage-one-from", f.s(f.root.resolve("nowhere"))), "--stage-one-from", "nowhere"));

		// data sets
		c.add(new Case("dataset missing", f -> a("train", "--dataset", f.s(f.root.resolve("no-such-data")), "--out", f.s(f.root.resolve("new-t"))),
			"no-such-data"));
		c.add(new Case("dataset is a NIfTI file", f -> a("train", "--dataset", f.s(f.image), "--out", f.s(f.root.resolve("new-t"))), "test00.nii.gz",
			"not a data set description"));
		c.add(new Case("dataset.json not JSON", f -> a("train", "--dataset", f.s(f.bad("json-broken")), "--out", f.s(f.root.resolve("new-t"))),
			"dataset.json", "not valid JSON", "line 1"));
		c.add(new Case("dataset.json names a missing case", f -> a("train", "--dataset", f.s(f.bad("json-missing-case")), "--out",
			f.s(f.root.resolve("new-t"))), "'c9'"));
		c.add(new Case("dataset.json tests a training case", f -> a("train", "--dataset", f.s(f.bad("json-leak")), "--out", f.s(f.root.resolve("new-t"))),
			"'split.test'", "c1", "must not be trained on"));
		c.add(new Case("dataset folder without images", f -> a("train", "--dataset", f.s(f.bad("no-images")), "--out", f.s(f.root.resolve("new-t"))),
			"images"));
		c.add(new Case("dataset with a NaN image", f -> trainArgs(f, f.nanData, "new-nan"), "case01.nii.gz", "NaN or infinite"));
		c.add(new Case("train --replace-nan infinite", f -> DataSafetyTest.tinyTraining(f.nanData, f.root.resolve("new-nan"), "--replace-nan", "-Infinity"),
			"--replace-nan", "'-Infinity'"));

		// run folders
		c.add(new Case("train out is a file", f -> trainArgs(f, f.data, f.bad("a-file")), "is a file"));
		c.add(new Case("train out holds results", f -> trainArgs(f, f.data, f.resultsOnly), "results of an earlier run", "--overwrite"));
		c.add(new Case("train out holds a checkpoint", f -> trainArgs(f, f.data, f.run), "already holds a checkpoint", "--resume"));
		c.add(new Case("resume a finished run", f -> a("train", "--out", f.s(f.run), "--resume"), "is finished", "nothing to resume"));
		c.add(new Case("resume and overwrite", f -> a("train", "--out", f.s(f.run), "--resume", "--overwrite"), "--resume", "--overwrite"));
		c.add(new Case("resume without checkpoint", f -> a("train", "--out", f.s(f.resultsOnly), "--resume"), "Cannot resume"));
		c.add(new Case("resume with other epochs", f -> a("train", "--out", f.s(f.run), "--resume", "--epochs", "5"), "--epochs (1 in the run, 5 given)"));
		c.add(new Case("train into a folder in use", f -> a("train", "--out", f.s(f.locked), "--resume"), "Another training run", ".mn-run.lock"));

		// segmentation
		c.add(new Case("segment model missing", f -> segArgs(f, f.root.resolve("absent.mnmodel"), f.image, f.root.resolve("new-o")), "absent.mnmodel",
			"does not exist"));
		c.add(new Case("segment model is a folder", f -> segArgs(f, f.run, f.image, f.root.resolve("new-o")), "is a folder", "model.mnmodel"));
		c.add(new Case("segment model is a volume", f -> segArgs(f, f.image, f.image, f.root.resolve("new-o")), "model bundle"));
		c.add(new Case("segment model cut in half", f -> segArgs(f, f.bad("half.mnmodel"), f.image, f.root.resolve("new-o")), "half.mnmodel"));
		c.add(new Case("segment model with a flipped byte", f -> segArgs(f, f.bad("flipped.mnmodel"), f.image, f.root.resolve("new-o")),
			"flipped.mnmodel"));
		c.add(new Case("segment model is text", f -> segArgs(f, f.bad("text.mnmodel"), f.image, f.root.resolve("new-o")), "text.mnmodel"));
		c.add(new Case("segment input missing", f -> segArgs(f, f.model, f.root.resolve("absent.nii.gz"), f.root.resolve("new-o")), "absent.nii.gz"));
		c.add(new Case("segment input folder empty", f -> segArgs(f, f.model, f.bad("empty"), f.root.resolve("new-o")), "holds no volume file"));
		c.add(new Case("segment list names no volume", f -> segArgs(f, f.model, f.bad("not-volumes.txt"), f.root.resolve("new-o")), "notes.doc",
			"not a volume file"));
		c.add(new Case("segment list with one name twice", f -> segArgs(f, f.model, f.bad("same-names.txt"), f.root.resolve("new-o")), "same file name"));
		c.add(new Case("segment NaN volume", f -> segArgs(f, f.model, f.bad("nan.nii.gz"), f.root.resolve("new-o")), "nan.nii.gz", "NaN or infinite"));
		c.add(new Case("segment --replace-nan not a number", f -> a("segment", "--model", f.s(f.model), "--input", f.s(f.bad("nan.nii.gz")), "--output",
			f.s(f.root.resolve("new-o")), "--replace-nan", "zero"), "--replace-nan", "'zero'", "finite number"));
		c.add(new Case("segment --replace-nan NaN", f -> a("segment", "--model", f.s(f.model), "--input", f.s(f.bad("nan.nii.gz")), "--output",
			f.s(f.root.resolve("new-o")), "--replace-nan", "NaN"), "--replace-nan", "'NaN'"));
		c.add(new Case("segment garbage volume", f -> segArgs(f, f.model, f.bad("garbage.nii.gz"), f.root.resolve("new-o")), "garbage.nii.gz"));
		c.add(new Case("segment into the input folder", f -> segArgs(f, f.model, f.bad("images-and-output"), f.bad("images-and-output")),
			"would replace the input"));
		c.add(new Case("segment one file into its folder, overwrite", f -> a("segment", "--model", f.s(f.model), "--input",
			f.s(f.bad("images-and-output/test00.nii.gz")), "--output", f.s(f.bad("images-and-output")), "--overwrite"), "would replace the input"));
		c.add(new Case("segment output is a file", f -> segArgs(f, f.model, f.image, f.bad("a-file")), "is a file"));
		c.add(new Case("segment output exists", f -> segArgs(f, f.model, f.image, f.root.resolve("seg")), "exist already", "--overwrite"));
		c.add(new Case("segment overwrite and skip-existing", f -> a("segment", "--model", f.s(f.model), "--input", f.s(f.image), "--output",
			f.s(f.root.resolve("seg")), "--overwrite", "--skip-existing"), "--overwrite", "--skip-existing"));
		c.add(new Case("segment overwrite and shard", f -> a("segment", "--model", f.s(f.model), "--input", f.s(f.images), "--output",
			f.s(f.root.resolve("seg")), "--overwrite", "--shard", "0/2"), "--overwrite", "--shard"));
		c.add(new Case("segment shard out of range", f -> a("segment", "--model", f.s(f.model), "--input", f.s(f.images), "--output",
			f.s(f.root.resolve("new-o")), "--shard", "3/2"), "--shard"));
		c.add(new Case("segment overlap 1", f -> a("segment", "--model", f.s(f.model), "--input", f.s(f.image), "--output", f.s(f.root.resolve("new-o")),
			"--overlap", "1"), "overlap"));
		c.add(new Case("segment unknown blend", f -> a("segment", "--model", f.s(f.model), "--input", f.s(f.image), "--output",
			f.s(f.root.resolve("new-o")), "--blend", "median"), "median"));

		// evaluation
		c.add(new Case("evaluate prediction missing", f -> a("evaluate", "--pred", f.s(f.root.resolve("absent.nii.gz")), "--truth", f.s(f.label)),
			"absent.nii.gz"));
		c.add(new Case("evaluate report onto the truth", f -> a("evaluate", "--pred", f.s(f.label), "--truth", f.s(f.label), "--json", f.s(f.label),
			"--overwrite"), "--json", "is the input"));
		c.add(new Case("evaluate report exists", f -> a("evaluate", "--pred", f.s(f.label), "--truth", f.s(f.label), "--json", f.s(f.report)),
			"already exists", "--overwrite"));
		c.add(new Case("evaluate report is a folder", f -> a("evaluate", "--pred", f.s(f.label), "--truth", f.s(f.label), "--json", f.s(f.bad)),
			"is a folder"));
		c.add(new Case("evaluate truth case without prediction", f -> a("evaluate", "--pred", f.s(f.bad("pred-missing")), "--truth", f.s(f.labels)),
			"No prediction", "test01", "1 of the 2"));
		c.add(new Case("evaluate prediction without truth", f -> a("evaluate", "--pred", f.s(f.bad("pred-extra")), "--truth", f.s(f.labels)),
			"No ground truth", "test07"));
		c.add(new Case("evaluate other spacing", f -> a("evaluate", "--pred", f.s(f.bad("spacing.nii.gz")), "--truth", f.s(f.label)), "spacing",
			"spacing.nii.gz", "test00.nii.gz"));
		c.add(new Case("evaluate other shape", f -> a("evaluate", "--pred", f.s(f.bad("shape.nii.gz")), "--truth", f.s(f.label)), "shape",
			"same grid"));
		c.add(new Case("evaluate class the truth lacks", f -> a("evaluate", "--pred", f.s(f.bad("class3.nii.gz")), "--truth", f.s(f.label)),
			"label value 3", "the truth does not have"));
		c.add(new Case("evaluate classes below 2", f -> a("evaluate", "--pred", f.s(f.label), "--truth", f.s(f.label), "--classes", "1"), "--classes",
			"at least 2"));
		c.add(new Case("evaluate classes below the truth's", f -> a("evaluate", "--pred", f.s(f.label), "--truth", f.s(f.label), "--classes", "2"),
			"label value 2", "--classes 3"));
		c.add(new Case("evaluate file against folder", f -> a("evaluate", "--pred", f.s(f.label), "--truth", f.s(f.labels)), "--truth must be a file"));
		c.add(new Case("evaluate NaN label", f -> a("evaluate", "--pred", f.s(f.bad("nan.nii.gz")), "--truth", f.s(f.label)), "nan.nii.gz"));

		// export
		c.add(new Case("export not a zip", f -> a("export", "--model", f.s(f.model), "--out", f.s(f.root.resolve("new-model.tar"))), ".zip"));
		c.add(new Case("export zip exists", f -> a("export", "--model", f.s(f.model), "--out", f.s(f.zip)), "already exists", "--overwrite"));
		c.add(new Case("export model missing", f -> a("export", "--model", f.s(f.root.resolve("absent.mnmodel")), "--out",
			f.s(f.root.resolve("new-m.zip"))), "absent.mnmodel"));
		c.add(new Case("export model is a folder", f -> a("export", "--model", f.s(f.run), "--out", f.s(f.root.resolve("new-m.zip"))), "is a folder"));
		c.add(new Case("export bad license", f -> a("export", "--model", f.s(f.model), "--out", f.s(f.root.resolve("new-m.zip")), "--license",
			"do what you like"), "SPDX"));
		return c;
	}

	/** A tiny labeled-only training on the synthetic data into {@code root/out}, with more options. */
	private static String[] trainArgs(Fixture f, String out, String... more) {
		return DataSafetyTest.tinyTraining(f.data, f.root.resolve(out), more);
	}

	private static String[] trainArgs(Fixture f, Path dataset, String out) {
		return DataSafetyTest.tinyTraining(dataset, f.root.resolve(out));
	}

	private static String[] trainArgs(Fixture f, Path dataset, Path out) {
		return DataSafetyTest.tinyTraining(dataset, out);
	}

	private static String[] segArgs(Fixture f, Path model, Path input, Path output) {
		return a("segment", "--model", f.s(model), "--input", f.s(input), "--output", f.s(output));
	}

	private final Case c;

	public BadInputSuiteTest(Case c) {
		this.c = c;
	}

	@Test
	public void refusedInOneLineAndNothingChanged() {
		Map<String, String> before = FileChecksums.of(F.root);
		MainTest.Outcome o = MainTest.mn(c.argv().apply(F));
		String err = o.err().strip();
		assertEquals(c + ": " + err, 2, o.code());
		assertTrue(c + ": not one line: " + err, !err.isEmpty() && !err.contains("\n"));
		assertTrue(c + ": a trace: " + err, !err.contains("\tat ") && !err.contains("Exception:") && !err.contains("java.lang."));
		for (String k : c.keyWords()) assertTrue(c + ": '" + k + "' missing in: " + err, err.contains(k));
		Map<String, String> after = FileChecksums.of(F.root);
		before.forEach((file, sum) -> assertEquals(c + ": " + file + " changed or vanished", sum, after.get(file)));
		for (String file : after.keySet())
			assertTrue(c + ": wrote " + file, before.containsKey(file) || file.startsWith("new-"));
	}
}
