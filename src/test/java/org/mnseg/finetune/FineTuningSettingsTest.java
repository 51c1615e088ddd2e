package org.mnseg.finetune;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.mnseg.models.NetworkFactory;
import org.mnseg.nn.UNet3D;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.reflect.TypeToken;

import ai.djl.ndarray.NDManager;

/** Settings: defaults, map and JSON round trips, clear errors; the 3-D UNet is refused. */
public class FineTuningSettingsTest {
	@Test
	public void defaultsAreTheReferenceCodes() {
		FineTuning d = FineTuning.defaults();
		assertEquals(FineTuning.Strategy.LORA, d.strategy());
		assertEquals(64, d.rank());
		assertEquals(64.0, d.alpha(), 0);
		assertEquals(0.1, d.dropout(), 0);
		assertEquals(1.0, d.scale(), 0);
		assertEquals(d, FineTuning.fromMap(Map.of(), "test"));
	}

	@Test
	public void mapFormSurvivesJson() {
		FineTuning s = new FineTuning(FineTuning.Strategy.DECODER, 8, 16, 0, true);
		Type type = new TypeToken<Map<String, Object>>() {}.getType();
		Map<String, Object> fromJson = Json.GSON.fromJson(Json.GSON.toJson(s.toMap()), type);
		assertEquals(s, FineTuning.fromMap(fromJson, "a bundle"));
		assertEquals(s, FineTuning.fromMap(Map.of("strategy", " Decoder", "rank", "8", "alpha", "16", "dropout", "0",
				"merge_for_inference", "true"), "options"));
	}

	@Test
	public void badSettingsAreUserErrors() {
		UserError e = assertThrows(UserError.class, () -> FineTuning.Strategy.parse("adapter"));
		assertTrue(e.getMessage(), e.getMessage().contains("[lora, decoder, whole]"));
		for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("rank", 0), Map.of("rank", 2.5),
				Map.of("rank", "many"), Map.of("alpha", -1), Map.of("dropout", 1.0), Map.of("merge_for_inference", "maybe"),
				Map.of("ranks", 4)))
			assertThrows(bad.toString(), UserError.class, () -> FineTuning.fromMap(bad, "test"));
	}

	@Test
	public void theUnetIsNotFineTunable() {
		try (NDManager m = NDManager.newBaseManager()) {
			assertThrows(UserError.class, () -> FineTuner.apply(new UNet3D(m, 1, 2, 2, 4, 1), FineTuning.defaults(), 0));
			Map<String, Object> config = new HashMap<>(Map.of("in_channels", 1, "num_classes", 2, "levels", 2,
					"base_filters", 4));
			config.put(FineTuning.CONFIG_KEY, FineTuning.defaults().toMap());
			UserError e = assertThrows(UserError.class, () -> NetworkFactory.create(UNet3D.ARCHITECTURE, config, m, 0));
			assertTrue(e.getMessage(), e.getMessage().contains("cannot be fine-tuned"));
		}
	}
}
