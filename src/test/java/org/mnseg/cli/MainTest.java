package org.mnseg.cli;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.LabelVolume;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.SharedData;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.util.Json;

import com.google.gson.JsonObject;

/** The command line end to end: train, segment, evaluate, and the messages for mistakes. */
public class MainTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path data;
	private static Path run;

	/** Exit code and both streams of one command. */
	record Outcome(int code, String out, String err) {}

	static Outcome mn(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@BeforeClass
	public static void trainTinyModel() throws Exception {
		data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 3, 0, 2, 5);
		run = tmp.getRoot().toPath().resolve("run");
		Outcome o = mn("train", "--dataset", data.toString(), "--labeled", "3", "--method", "labeled-only", "--out", run.toString(), "--levels", "2", "--base-filters", "4", "--patch",
			"16,16,8", "--epochs", "3", "--iterations-per-epoch", "2", "--threads", "2");
		assertEquals(o.err(), 0, o.code());
		assertTrue(o.out(), o.out().contains("Model bundle:") && o.out().contains("mean over foreground classes"));
	}

	@Test
	public void trainWritesTheRunFolder() {
		for (String f : new String[] { "model.mnmodel", "log.csv", "checkpoint.mnckpt", "metrics.json", "result.json" })
			assertTrue(f, Files.exists(run.resolve(f)));
	}

	@Test
	public void segmentWritesLabelsOnTheInputGridAndEvaluateMeasuresThem() throws Exception {
		Path out = tmp.newFolder("seg").toPath();
		Outcome o = mn("segment", "--model", run.resolve("model.mnmodel").toString(), "--input", data.resolve("test/images").toString(), "--output",
			out.toString(), "--probabilities");
		assertEquals(o.err(), 0, o.code());
		Path label = out.resolve("test00.nii.gz");
		assertTrue(o.out(), Files.exists(label));
		assertTrue(Files.exists(out.resolve("test00_foreground_probability.nii.gz")));
		LabelVolume seg = VolumeIO.readLabels(label);
		assertArrayEquals(SyntheticDataset.SHAPE, seg.shape());
		assertArrayEquals(new double[] { 1, 1, 2 }, seg.geometry().spacing(), 1e-6);

		// only the label files (not the probability maps) against the truth folder
		Path preds = tmp.newFolder("preds").toPath();
		for (String id : new String[] { "test00", "test01" }) Files.copy(out.resolve(id + ".nii.gz"), preds.resolve(id + ".nii.gz"));
		Path json = tmp.getRoot().toPath().resolve("eval.json");
		Outcome e = mn("evaluate", "--pred", preds.toString(), "--truth", data.resolve("test/labels").toString(), "--json", json.toString(), "--classes", "3");
		assertEquals(e.err(), 0, e.code());
		JsonObject metrics = Json.read(json).getAsJsonObject();
		assertEquals(2, metrics.getAsJsonObject("cases").size());
		for (String key : new String[] { "dice", "jaccard", "hd95_vox", "asd_vox", "hd95_mm", "asd_mm" })
			assertTrue(key, metrics.getAsJsonObject("mean").has(key));
	}

	@Test
	public void evaluateOfTruthAgainstItselfIsPerfect() throws Exception {
		Path t = data.resolve("test/labels/test00.nii.gz");
		Path json = tmp.getRoot().toPath().resolve("self.json");
		Outcome e = mn("evaluate", "--pred", t.toString(), "--truth", t.toString(), "--json", json.toString());
		assertEquals(e.err(), 0, e.code());
		JsonObject mean = Json.read(json).getAsJsonObject().getAsJsonObject("mean");
		assertEquals(1.0, mean.get("dice").getAsDouble(), 0);
		assertEquals(0.0, mean.get("hd95_mm").getAsDouble(), 0);
	}

	@Test
	public void mistakesGiveOneClearLineAndExitCodeTwo() {
		Outcome unknown = mn("train", "--dataset", data.toString(), "--out", tmp.getRoot().toPath().resolve("x").toString(), "--learning-rate", "1");
		assertEquals(2, unknown.code());
		assertTrue(unknown.err(), unknown.err().contains("--learning-rate") && !unknown.err().contains("\tat "));

		Outcome missing = mn("segment", "--model", run.resolve("model.mnmodel").toString(), "--input", "/nonexistent/volume.nii.gz", "--output", "/tmp/x");
		assertEquals(2, missing.code());
		assertTrue(missing.err(), missing.err().contains("/nonexistent/volume.nii.gz"));

		Outcome badModel = mn("segment", "--model", data.resolve("labels/case00.nii.gz").toString(), "--input", data.toString(), "--output", "/tmp/x");
		assertEquals(2, badModel.code());
		assertTrue(badModel.err(), badModel.err().contains("model bundle"));

		Outcome noCommand = mn("fly");
		assertEquals(2, noCommand.code());
		assertTrue(noCommand.err().contains("unknown command"));

		Outcome noValue = mn("evaluate", "--pred");
		assertEquals(2, noValue.code());
		assertTrue(noValue.err(), noValue.err().contains("--pred needs a value"));
	}

	@Test
	public void segmentsARealHippocampusVolume() throws Exception {
		Path image = SharedData.require("data/hippocampus/imagesTr/hippocampus_001.nii.gz");
		Path out = tmp.newFolder("hip").toPath();
		Outcome o = mn("segment", "--model", run.resolve("model.mnmodel").toString(), "--input", image.toString(), "--output", out.toString());
		assertEquals(o.err(), 0, o.code());
		LabelVolume seg = VolumeIO.readLabels(out.resolve("hippocampus_001.nii.gz"));
		assertArrayEquals(VolumeIO.readImage(image).shape(), seg.shape());
		// written on the source grid: the NIfTI header's orientation block is carried over
		byte[] src = VolumeIO.readImage(image).geometry().niftiHeader();
		byte[] dst = seg.geometry().niftiHeader();
		assertArrayEquals(java.util.Arrays.copyOfRange(src, 252, 344), java.util.Arrays.copyOfRange(dst, 252, 344));
	}
}
