package org.mnseg.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.Test;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.util.UserError;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

public class EvaluationTest {

	private static JsonObject fixtures() throws Exception {
		try (InputStream in = EvaluationTest.class.getResourceAsStream("/fixtures/metrics/scipy_cases.json")) {
			assertNotNull("fixture missing: run scripts/reference/metrics_fixtures.py", in);
			return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
		}
	}

	private static int[] ints(JsonArray a) {
		int[] v = new int[a.size()];
		for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsInt();
		return v;
	}

	private static double[] doubles(JsonArray a) {
		double[] v = new double[a.size()];
		for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsDouble();
		return v;
	}

	@Test
	public void matchesScipyMedpyStyleReferenceOnMultiClassAnisotropicCases() throws Exception {
		JsonArray cases = fixtures().getAsJsonArray("cases");
		assertEquals(3, cases.size());
		EvaluationReport report = new EvaluationReport();
		for (JsonElement e : cases) {
			JsonObject c = e.getAsJsonObject();
			String id = c.get("id").getAsString();
			int[] shape = ints(c.getAsJsonArray("shape"));
			double[] spacing = doubles(c.getAsJsonArray("spacing"));
			byte[] pred = Base64.getDecoder().decode(c.get("prediction").getAsString());
			byte[] truth = Base64.getDecoder().decode(c.get("truth").getAsString());
			CaseResult r = Evaluation.evaluate(id, pred, truth, shape, spacing, c.get("num_classes").getAsInt());
			report.add(r);
			for (Map.Entry<String, JsonElement> expected : c.getAsJsonObject("classes").entrySet()) {
				JsonObject want = expected.getValue().getAsJsonObject();
				ClassMetrics got = r.forClass(Integer.parseInt(expected.getKey()));
				for (int k = 0; k < ClassMetrics.KEYS.size(); k++) {
					String key = ClassMetrics.KEYS.get(k);
					assertEquals(id + " class " + expected.getKey() + " " + key, want.get(key).getAsDouble(), got.values()[k], 1e-9);
				}
				assertEquals(id + " class " + expected.getKey(), want.get("empty").getAsString(), got.empty().jsonName());
			}
		}
		// the fixture exercises a real asymmetry and a missing class, not only easy cases
		ClassMetrics aniso1 = report.cases().get(0).forClass(1);
		assertTrue(Math.abs(aniso1.asdMm() - aniso1.assdMm()) > 1e-3);
		assertEquals(EmptySide.PREDICTION, report.cases().get(2).forClass(2).empty());
	}

	/** Two classes in one volume: class 1 a cube shifted by one voxel in x, class 2 a bar predicted exactly. */
	private static byte[][] multiClassCase(int[] shape) {
		byte[] pred = new byte[shape[0] * shape[1] * shape[2]], truth = new byte[pred.length];
		for (int z = 0; z < shape[2]; z++)
			for (int y = 0; y < shape[1]; y++)
				for (int x = 0; x < shape[0]; x++) {
					int i = x + shape[0] * (y + shape[1] * z);
					if (x >= 1 && x < 6 && y >= 1 && y < 6 && z >= 1 && z < 6) truth[i] = 1;
					if (x >= 2 && x < 7 && y >= 1 && y < 6 && z >= 1 && z < 6) pred[i] = 1;
					if (x >= 8 && x < 10 && y >= 2 && y < 9 && z >= 3 && z < 5) truth[i] = pred[i] = 2;
				}
		return new byte[][] { pred, truth };
	}

	@Test
	public void multiClassCaseEvaluatesEachClassOnItsOwnMasks() {
		int[] shape = { 11, 10, 7 };
		double[] spacing = { 0.5, 1, 2 };
		byte[][] pt = multiClassCase(shape);
		CaseResult r = Evaluation.evaluate("two", pt[0], pt[1], shape, spacing, 4);
		assertEquals(3, r.classes().size());
		// class 1: cube of side 5 shifted by 1: Dice (a-k)/a = 4/5, Jaccard (a-k)/(a+k) = 4/6; the nearest
		// surface voxels lie one voxel apart along x, which is 0.5 mm
		ClassMetrics c1 = r.forClass(1);
		assertEquals(0.8, c1.dice(), 1e-12);
		assertEquals(4.0 / 6, c1.jaccard(), 1e-12);
		// closed form for a = 5, k = 1 (see SegmentationMetricsTest): {0 x 64, 1 x 34} each way
		assertEquals(34.0 / 98, c1.asdVoxels(), 1e-12);
		assertEquals(0.5 * 34.0 / 98, c1.asdMm(), 1e-12);
		assertEquals(1.0, c1.hd95Voxels(), 1e-12);
		assertEquals(0.5, c1.hd95Mm(), 1e-12);
		// class 2 is exact; class 3 is absent from both
		assertEquals(1, r.forClass(2).dice(), 0);
		assertEquals(0, r.forClass(2).hd95Mm(), 0);
		assertEquals(EmptySide.BOTH, r.forClass(3).empty());
		// each class equals the binary metrics of its own masks
		boolean[] p1 = new boolean[pt[0].length], t1 = new boolean[pt[0].length];
		for (int i = 0; i < p1.length; i++) {
			p1[i] = pt[0][i] == 1;
			t1[i] = pt[1][i] == 1;
		}
		assertEquals(SegmentationMetrics.compute(p1, t1, shape, spacing).toJson(), c1.toJson());
	}

	@Test
	public void labelVolumeOverloadUsesTheTruthSpacing() {
		int[] shape = { 11, 10, 7 };
		double[] spacing = { 0.5, 1, 2 };
		byte[][] pt = multiClassCase(shape);
		CaseResult fromVolumes = Evaluation.evaluate("v", LabelVolume.wrap(pt[0], shape, Geometry.unit()),
			LabelVolume.wrap(pt[1], shape, new Geometry(spacing, null)), 3);
		CaseResult fromArrays = Evaluation.evaluate("v", pt[0], pt[1], shape, spacing, 3);
		assertEquals(fromArrays.toJson(), fromVolumes.toJson());
	}

	private static void expectUserError(String mustMention, Runnable r) {
		try {
			r.run();
			fail("expected a UserError mentioning " + mustMention);
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains(mustMention));
		}
	}

	@Test
	public void badInputIsAUserErrorNamingTheCase() {
		int[] shape = { 11, 10, 7 };
		byte[][] pt = multiClassCase(shape);
		double[] unit = { 1, 1, 1 };
		expectUserError("label 2", () -> Evaluation.evaluate("c7", pt[0], pt[1], shape, unit, 2));
		expectUserError("c7", () -> Evaluation.evaluate("c7", pt[0], new byte[5], shape, unit, 3));
		expectUserError("spacing", () -> Evaluation.evaluate("c7", pt[0], pt[1], shape, new double[] { 1, 0, 1 }, 3));
		expectUserError("classes", () -> Evaluation.evaluate("c7", pt[0], pt[1], shape, unit, 1));
		expectUserError("11x10x7", () -> Evaluation.evaluate("c7", LabelVolume.wrap(pt[0], shape, null),
			LabelVolume.wrap(new byte[10 * 11 * 7], new int[] { 10, 11, 7 }, null), 3));
		EvaluationReport report = new EvaluationReport().add(Evaluation.evaluate("c7", pt[0], pt[1], shape, unit, 3));
		expectUserError("twice", () -> report.add(Evaluation.evaluate("c7", pt[0], pt[1], shape, unit, 3)));
		expectUserError("same number of classes", () -> report.add(Evaluation.evaluate("c8", pt[0], pt[1], shape, unit, 4)));
	}

	@Test
	public void reportAveragesClassesOverCasesAndMeanOverClasses() {
		int[] shape = { 11, 10, 7 };
		double[] spacing = { 0.5, 1, 2 };
		byte[][] pt = multiClassCase(shape);
		byte[] missing = pt[0].clone();
		for (int i = 0; i < missing.length; i++) if (missing[i] == 2) missing[i] = 0;
		CaseResult a = Evaluation.evaluate("a|1", pt[0], pt[1], shape, spacing, 3);
		CaseResult b = Evaluation.evaluate("b", missing, pt[1], shape, spacing, 3);
		EvaluationReport report = new EvaluationReport().add(a).add(b);
		JsonObject json = report.toJson();

		JsonObject cases = json.getAsJsonObject("cases");
		assertEquals(2, cases.size());
		assertEquals(a.forClass(1).dice(), cases.getAsJsonObject("a|1").getAsJsonObject("1").get("dice").getAsDouble(), 0);
		assertEquals("prediction", cases.getAsJsonObject("b").getAsJsonObject("2").get("empty").getAsString());
		assertEquals(SegmentationMetrics.EMPTY_POLICY, json.get("empty_policy").getAsString());

		JsonObject classes = json.getAsJsonObject("classes");
		JsonObject mean = json.getAsJsonObject("mean");
		assertEquals(2, classes.size());
		assertEquals(ClassMetrics.KEYS.size(), mean.size());
		for (int k = 0; k < ClassMetrics.KEYS.size(); k++) {
			String key = ClassMetrics.KEYS.get(k);
			double c1 = (a.forClass(1).values()[k] + b.forClass(1).values()[k]) / 2;
			double c2 = (a.forClass(2).values()[k] + b.forClass(2).values()[k]) / 2;
			assertEquals(key, c1, classes.getAsJsonObject("1").get(key).getAsDouble(), 1e-12);
			assertEquals(key, c2, classes.getAsJsonObject("2").get(key).getAsDouble(), 1e-12);
			assertEquals(key, (c1 + c2) / 2, mean.get(key).getAsDouble(), 1e-12);
		}
		// class 2 mean Dice: exact in a (1), missed in b (0)
		assertEquals(0.5, classes.getAsJsonObject("2").get("dice").getAsDouble(), 1e-12);

		String md = report.toMarkdown();
		assertTrue(md, md.startsWith("| class | dice | jaccard | hd95_vox |"));
		assertTrue(md, md.contains("| **mean** | " + String.format(java.util.Locale.ROOT, "%.4f", mean.get("dice").getAsDouble())));
		assertTrue(md, md.contains("| a\\|1 | 1 | 0.8000 | 0.6667 |"));
		assertTrue(md, md.contains("| prediction |"));
		assertTrue(md, md.contains(SegmentationMetrics.EMPTY_POLICY));
	}

	@Test
	public void emptyReportHasNoMeans() {
		JsonObject json = new EvaluationReport().toJson();
		assertEquals(0, json.getAsJsonObject("cases").size());
		assertEquals(0, json.getAsJsonObject("mean").size());
	}
}
