package org.mnseg.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.testutil.FileChecksums;
import org.mnseg.testutil.SyntheticDataset;

/**
 * No file the user owns is replaced by surprise, through the command line: segmentation never writes over its input,
 * an evaluation report never over a label file, existing outputs and run folders only with --overwrite, and a
 * finished run is not resumed. Each refusal leaves every file byte for byte as it was.
 */
public class DataSafetyTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path data;
	private static Path run;
	private static Path model;

	static String[] tinyTraining(Path dataset, Path out, String... more) {
		String[] base = { "train", "--dataset", dataset.toString(), "--labeled", "3", "--method", "labeled-only", "--out", out.toString(),
			"--levels", "2", "--base-filters", "4", "--patch", "16,16,8", "--epochs", "1", "--iterations-per-epoch", "1", "--threads", "2" };
		String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return all;
	}

	@BeforeClass
	public static void trainTinyModel() throws Exception {
		data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 3, 0, 2, 7);
		run = tmp.getRoot().toPath().resolve("run");
		MainTest.Outcome o = MainTest.mn(tinyTraining(data, run));
		assertEquals(o.err(), 0, o.code());
		model = run.resolve("model.mnmodel");
	}

	/** Exit code 2 with one line holding every key word, and no trace. */
	static void assertRefused(MainTest.Outcome o, String... keyWords) {
		assertEquals(o.err(), 2, o.code());
		String err = o.err().strip();
		assertFalse(err, err.contains("\n") || err.contains("Exception") || err.contains("\tat "));
		for (String k : keyWords) assertTrue("'" + k + "' in: " + err, err.contains(k));
	}

	private static Path copyOfTestImages(String name) throws Exception {
		Path dir = tmp.newFolder(name).toPath();
		for (String id : new String[] { "test00", "test01" })
			Files.copy(data.resolve("test/images/" + id + ".nii.gz"), dir.resolve(id + ".nii.gz"));
		return dir;
	}

	@Test
	public void segmentNeverWritesOverItsInputs() throws Exception {
		Path images = copyOfTestImages("seg-in");
		Map<String, String> before = FileChecksums.of(images);
		// a folder into itself, and one file into its own folder, with or without --overwrite
		assertRefused(MainTest.mn("segment", "--model", model.toString(), "--input", images.toString(), "--output", images.toString()), "would replace the input",
			"folder of their own");
		assertRefused(MainTest.mn("segment", "--model", model.toString(), "--input", images.resolve("test00.nii.gz").toString(), "--output",
			images.toString(), "--overwrite"), "would replace the input");
		// another spelling of the same folder
		assertRefused(MainTest.mn("segment", "--model", model.toString(), "--input", images.toString(), "--output",
			images.resolve("../" + images.getFileName()).toString(), "--overwrite"), "would replace the input");
		assertEquals(before, FileChecksums.of(images));
	}

	@Test
	public void segmentReplacesAnEarlierOutputOnlyWithOverwrite() throws Exception {
		Path images = copyOfTestImages("seg-in2");
		Path out = tmp.newFolder("seg-out").toPath();
		assertEquals(0, MainTest.mn("segment", "--model", model.toString(), "--input", images.toString(), "--output", out.toString()).code());
		Files.writeString(out.resolve("test01.nii.gz"), "the user's own file");
		Map<String, String> before = FileChecksums.of(out);
		assertRefused(MainTest.mn("segment", "--model", model.toString(), "--input", images.toString(), "--output", out.toString()),
			"exist already", "--overwrite", "--skip-existing");
		assertEquals(before, FileChecksums.of(out));
		assertRefused(MainTest.mn("segment", "--model", model.toString(), "--input", images.toString(), "--output", out.toString(), "--overwrite",
			"--skip-existing"), "--overwrite", "--skip-existing");
		assertEquals(before, FileChecksums.of(out));
		// --skip-existing keeps both existing outputs (and segments nothing)
		MainTest.Outcome skip = MainTest.mn("segment", "--model", model.toString(), "--input", images.toString(), "--output", out.toString(),
			"--skip-existing");
		assertEquals(skip.err(), 0, skip.code());
		assertEquals(before, FileChecksums.of(out));
		MainTest.Outcome replaced = MainTest.mn("segment", "--model", model.toString(), "--input", images.toString(), "--output", out.toString(),
			"--overwrite");
		assertEquals(replaced.err(), 0, replaced.code());
		assertNotEquals(before.get("test01.nii.gz"), FileChecksums.sha256(out.resolve("test01.nii.gz")));
		assertEquals(before.get("test00.nii.gz"), FileChecksums.sha256(out.resolve("test00.nii.gz")));
	}

	@Test
	public void evaluateReportNeverReplacesALabelFileAndAnEarlierReportOnlyWithOverwrite() throws Exception {
		Path truth = data.resolve("test/labels");
		Map<String, String> labels = FileChecksums.of(truth);
		Path t0 = truth.resolve("test00.nii.gz");
		assertRefused(MainTest.mn("evaluate", "--pred", t0.toString(), "--truth", t0.toString(), "--json", t0.toString(), "--overwrite"),
			"--json", "is the input");
		assertRefused(MainTest.mn("evaluate", "--pred", truth.toString(), "--truth", truth.toString(), "--json", truth.resolve("test01.nii.gz").toString()),
			"--json", "is the input");
		assertEquals(labels, FileChecksums.of(truth));

		Path report = tmp.getRoot().toPath().resolve("report.json");
		Files.writeString(report, "an earlier report");
		assertRefused(MainTest.mn("evaluate", "--pred", t0.toString(), "--truth", t0.toString(), "--json", report.toString()), "already exists",
			"--overwrite");
		assertEquals("an earlier report", Files.readString(report));
		assertEquals(0, MainTest.mn("evaluate", "--pred", t0.toString(), "--truth", t0.toString(), "--json", report.toString(), "--overwrite").code());
		assertTrue(Files.readString(report).contains("\"dice\""));
	}

	@Test
	public void trainRefusesAFolderWithResultsButNoCheckpointUnlessOverwrite() throws Exception {
		Path old = tmp.newFolder("old-run").toPath();
		for (String f : new String[] { "model.mnmodel", "log.csv", "result.json", "metrics.json" }) Files.copy(run.resolve(f), old.resolve(f));
		Map<String, String> before = FileChecksums.of(old);
		assertRefused(MainTest.mn(tinyTraining(data, old)), "holds the results of an earlier run", "model.mnmodel", "--overwrite");
		assertEquals(before, FileChecksums.of(old));
		assertRefused(MainTest.mn(tinyTraining(data, old, "--resume")), "Cannot resume", "checkpoint.mnckpt");
		assertEquals(before, FileChecksums.of(old));

		MainTest.Outcome o = MainTest.mn(tinyTraining(data, old, "--overwrite", "--seed", "3"));
		assertEquals(o.err(), 0, o.code());
		assertNotEquals(before.get("model.mnmodel"), FileChecksums.sha256(old.resolve("model.mnmodel")));
		assertTrue(Files.exists(old.resolve("checkpoint.mnckpt")));
	}

	@Test
	public void resumingAFinishedRunSaysSoAndChangesNothing() throws Exception {
		Map<String, String> before = FileChecksums.of(run);
		MainTest.Outcome o = MainTest.mn("train", "--out", run.toString(), "--resume");
		assertRefused(o, "is finished", "trained all 1 epochs", "nothing to resume");
		assertFalse(o.err(), o.err().contains("epoch 2 of 1"));
		assertEquals(before, FileChecksums.of(run));
		assertRefused(MainTest.mn("train", "--out", run.toString(), "--resume", "--overwrite"), "--resume", "--overwrite");
		assertRefused(MainTest.mn(tinyTraining(data, run)), "already holds a checkpoint", "--resume", "--overwrite");
		assertEquals(before, FileChecksums.of(run));
	}

	@Test
	public void aRunKilledBeforeWritingItsResultsResumesToWriteThemAndRemovesLeftOverParts() throws Exception {
		Path killed = tmp.newFolder("killed").toPath();
		for (String f : new String[] { "checkpoint.mnckpt", "log.csv", "plan.json" }) Files.copy(run.resolve(f), killed.resolve(f));
		Path part = killed.resolve(".part12345-model.mnmodel");
		Files.writeString(part, "half a bundle");
		MainTest.Outcome o = MainTest.mn("train", "--out", killed.toString(), "--resume");
		assertEquals(o.err(), 0, o.code());
		assertTrue(o.out(), o.out().contains("were trained before the run stopped"));
		assertFalse(Files.exists(part));
		assertTrue(Files.exists(killed.resolve("result.json")));
		assertTrue(Files.exists(killed.resolve("model.mnmodel")));
	}
}
