package org.mnseg.workflow;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.Volume;
import org.mnseg.io.VolumeIO;
import org.mnseg.suggest.Measure;
import org.mnseg.suggest.VolumeScore;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.testutil.TinyBundles;
import org.mnseg.testutil.TinyBundles.Partner;
import org.mnseg.train.RunListener;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import ai.djl.Device;

/** Suggestions with real networks through the inference path: the results, the heat maps and the data set's volumes. */
public class SuggestWorkflowTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path data;

	@BeforeClass
	public static void data() throws Exception {
		data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 3, 2, 1, 11);
	}

	private static SuggestWorkflow.Result run(Path bundle, Measure measure, Path out, boolean heatmaps) {
		return SuggestWorkflow.run(new SuggestWorkflow.Request(bundle, SuggestWorkflow.imageInputs(data.resolve("unlabeled")), measure, 4, 1, out, heatmaps,
			Device.cpu()), RunListener.NONE, null, null);
	}

	@Test
	public void theJsonAndTheHeatMapsHoldTheRanking() throws Exception {
		Path bundle = TinyBundles.write(tmp.getRoot().toPath().resolve("mn.mnmodel"), Partner.SEGFORMER, 3, List.of());
		Path out = tmp.newFolder("out").toPath();
		SuggestWorkflow.Result r = run(bundle, Measure.DISAGREEMENT, out, true);
		assertNull(r.note());
		assertEquals(Measure.DISAGREEMENT, r.measure());
		List<VolumeScore> volumes = r.ranking().volumes();
		assertEquals(2, volumes.size());
		assertTrue(volumes.get(0).score() >= volumes.get(1).score());
		JsonObject json = Json.read(out.resolve(SuggestWorkflow.RESULTS_FILE)).getAsJsonObject();
		assertEquals("disagreement", json.get("measure").getAsString());
		JsonArray ranked = json.getAsJsonArray("volumes");
		for (int i = 0; i < volumes.size(); i++) {
			VolumeScore v = volumes.get(i);
			JsonObject j = ranked.get(i).getAsJsonObject();
			assertEquals(v.id(), j.get("id").getAsString());
			assertEquals(v.score(), j.get("score").getAsDouble(), 0);
			assertTrue(v.id() + " " + v.score(), v.score() > 0 && v.score() <= 1);
			// the heat map on the volume's grid: its slice means are the slice scores
			Volume map = VolumeIO.readImage(Path.of(j.get("heatmap").getAsString()));
			assertArrayEquals(SyntheticDataset.SHAPE, map.shape());
			int plane = SyntheticDataset.SHAPE[0] * SyntheticDataset.SHAPE[1];
			JsonArray slices = j.getAsJsonArray("slice_scores");
			assertEquals(SyntheticDataset.SHAPE[2], slices.size());
			for (int z = 0; z < slices.size(); z++) {
				double sum = 0;
				for (int k = z * plane; k < (z + 1) * plane; k++) sum += map.data()[k];
				assertEquals(sum / plane, slices.get(z).getAsDouble(), 1e-5);
			}
		}
		JsonArray top = json.getAsJsonArray("top_slices");
		assertEquals(4, top.size());
		double best = top.get(0).getAsJsonObject().get("score").getAsDouble();
		for (VolumeScore v : volumes)
			for (double s : v.sliceScores()) assertTrue(s <= best);

		// the outputs exist now: a second run is refused without overwrite, before any work
		try {
			SuggestWorkflow.requireSafeOutputs(SuggestWorkflow.imageInputs(data.resolve("unlabeled")), out, true, false, "--overwrite");
			fail("existing results replaced without --overwrite");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("exist already") && e.getMessage().contains("--overwrite"));
		}
	}

	@Test
	public void modelsThatAgreeScoreZeroAndALabeledOnlyBundleFallsBackToUncertainty() throws Exception {
		Path same = TinyBundles.write(tmp.getRoot().toPath().resolve("same.mnmodel"), Partner.SAME, 3, List.of());
		SuggestWorkflow.Result agree = run(same, Measure.DISAGREEMENT, null, false);
		for (VolumeScore v : agree.ranking().volumes()) {
			assertEquals(v.id(), 0, v.score(), 1e-6);
			for (double s : v.sliceScores()) assertEquals(0, s, 1e-6);
			assertTrue(v.uncertainty() > 0);
		}

		Path labeledOnly = TinyBundles.write(tmp.getRoot().toPath().resolve("lo.mnmodel"), Partner.NONE, 3, List.of());
		SuggestWorkflow.Result r = run(labeledOnly, Measure.DISAGREEMENT, null, false);
		assertEquals(Measure.UNCERTAINTY, r.measure());
		assertTrue(r.note(), r.note().contains("no 2-D partner") && r.note().contains("uncertainty alone"));
		// the 3-D model is the same network in both bundles: the same uncertainty, now the score
		for (VolumeScore v : r.ranking().volumes()) {
			assertTrue(Double.isNaN(v.disagreement()));
			assertEquals(v.uncertainty(), v.score(), 0);
		}
	}

	@Test
	public void aDataSetGivesTheVolumesTheModelWasNotTrainedOnOrItsTestSplit() {
		List<String> unlabeled = SuggestWorkflow.datasetInputs(data, SuggestWorkflow.UNLABELED, TinyBundles.info("mn", List.of("case00", "case02")))
			.stream().map(SuggestWorkflow.Input::id).toList();
		assertEquals(List.of("case01", "case03", "case04"), unlabeled);
		assertEquals(List.of("test00"), SuggestWorkflow.datasetInputs(data, SuggestWorkflow.TEST, TinyBundles.info("mn", List.of())).stream()
			.map(SuggestWorkflow.Input::id).toList());
		try {
			SuggestWorkflow.datasetInputs(data, "validation", TinyBundles.info("mn", List.of()));
			fail();
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("unlabeled, test"));
		}
	}

	/** An open image has no file: two of one name (or one named like a file) were missed when the first had none. */
	@Test
	public void twoInputsOfOneNameAreRefusedWhetherOpenImagesOrFiles() throws Exception {
		Volume v;
		try (Stream<Path> unlabeled = Files.list(data.resolve("unlabeled"))) {
			v = VolumeIO.readImage(unlabeled.sorted().findFirst().orElseThrow());
		}
		Path file = tmp.newFolder("named").toPath().resolve("scan.nii.gz");
		VolumeIO.writeImage(v, file);
		for (List<SuggestWorkflow.Input> inputs : List.of(List.of(SuggestWorkflow.Input.inMemory("scan", v), SuggestWorkflow.Input.inMemory("scan", v)),
			List.of(SuggestWorkflow.Input.inMemory("scan", v), new SuggestWorkflow.Input("scan", file))))
			try {
				SuggestWorkflow.requireSafeOutputs(inputs, null, false, false, "Tick Overwrite to replace them");
				fail("two inputs named scan were accepted");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().startsWith("Two volumes are named scan (an open image and "));
			}
	}
}
