package org.mnseg.nn2d.mobilenet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.BeforeClass;
import org.junit.Test;
import org.mnseg.pretrained.WeightsSource;
import org.mnseg.testutil.SharedData;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The three exactness checks against the independent golden references (one run of each network for the class: the
 * 512 x 512 DeepLabV3+ forward is the heavy part).
 */
public class GoldenVerificationTest {
	private static List<GoldenVerification.Row> rows;

	@BeforeClass
	public static void runOnce() throws Exception {
		Path golden = SharedData.require("models/golden");
		Path emptyCache = Files.createTempDirectory("mn-cache");
		rows = GoldenVerification.run(golden, new WeightsSource(emptyCache, golden.getParent(), false, null));
	}

	private static GoldenVerification.Row row(String model, String metricStart) {
		return rows.stream().filter(r -> r.model().equals(model) && r.metric().startsWith(metricStart)).findFirst()
				.orElseThrow(() -> new AssertionError("no row " + model + " / " + metricStart + " in " + rows));
	}

	@Test
	public void deepLabV3PlusAde20kMatches() {
		GoldenVerification.Row argmax = row("deeplabv3plus-mnv2-ade20k", "argmax agreement");
		assertTrue(argmax.toString(), argmax.value() >= 0.995 && argmax.pass());
		GoldenVerification.Row logits = row("deeplabv3plus-mnv2-ade20k", "logits");
		assertTrue(logits.toString(), logits.value() <= 1e-3 && logits.pass());
	}

	@Test
	public void deepLabV3PascalMatchesWithinFloatPrecision() {
		GoldenVerification.Row logits = row("deeplabv3-mnv2-pascal", "logits");
		assertTrue(logits.toString(), logits.value() <= 1e-4 && logits.pass());
	}

	@Test
	public void mobileNetV2ImageNetHasTheSameTopClasses() {
		assertTrue(row("mnv2-imagenet", "top-1").toString(), row("mnv2-imagenet", "top-1").pass());
		assertTrue(row("mnv2-imagenet", "top-5").toString(), row("mnv2-imagenet", "top-5").pass());
	}

	@Test
	public void tableAndJsonCarryTheSameNumbers() {
		String table = GoldenVerification.table(rows);
		JsonObject json = JsonParser.parseString(GoldenVerification.json(rows)).getAsJsonObject();
		assertTrue(json.get("pass").getAsBoolean());
		assertEquals(rows.size(), json.getAsJsonArray("checks").size());
		for (int i = 0; i < rows.size(); i++) {
			JsonObject c = json.getAsJsonArray("checks").get(i).getAsJsonObject();
			assertEquals(rows.get(i).value(), c.get("value").getAsDouble(), 0);
			assertTrue(table, table.contains(rows.get(i).metric()));
		}
		assertTrue(table, table.contains("All checks passed."));
	}
}
