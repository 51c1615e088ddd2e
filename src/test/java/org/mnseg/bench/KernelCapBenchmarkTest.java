package org.mnseg.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import com.google.gson.JsonObject;

/** The cap benchmark's tables from made-up child results: medians over rounds, per-round slowdowns, the check's verdict. */
public class KernelCapBenchmarkTest {
	/** A child's result whose every measure took {@code seconds}. */
	private static JsonObject child(String level, double error, double seconds) {
		JsonObject o = new JsonObject();
		o.addProperty("level", level);
		o.addProperty("gradient_check_error", error);
		for (String m : KernelCapBenchmark.MEASURES.keySet()) o.addProperty(m, seconds);
		return o;
	}

	@Test
	public void slowdownIsTheMedianOfEachRoundsRatio() {
		// round 1: AVX 3 s, AVX2 1 s (3x); round 2: AVX 4 s, AVX2 2 s (2x); round 3: AVX 5 s, AVX2 1 s (5x)
		List<List<JsonObject>> runs = new ArrayList<>();
		runs.add(List.of(child("AVX", 1e-6, 3), child("AVX", 2e-6, 4), child("AVX", 1e-6, 5)));
		runs.add(List.of(child("AVX2", 0.23, 1), child("AVX2", 0.21, 2), child("AVX2", 0.22, 1)));
		List<JsonObject> rows = KernelCapBenchmark.summarise(List.of("AVX", "AVX2"), runs);
		String m = KernelCapBenchmark.MEASURES.keySet().iterator().next();
		assertEquals(4.0, rows.get(0).get(m + "_s").getAsDouble(), 0);
		assertEquals(1.0, rows.get(1).get(m + "_s").getAsDouble(), 0);
		assertEquals(1.0, rows.get(0).getAsJsonObject("first_level_slowdown").get(m).getAsDouble(), 0);
		// the median of the rounds' ratios (3, 2, 5), not the ratio of the medians (4 / 1)
		assertEquals(3.0, rows.get(1).getAsJsonObject("first_level_slowdown").get(m).getAsDouble(), 0);
		assertEquals(0.23, rows.get(1).get("gradient_check_error").getAsDouble(), 0);

		JsonObject header = new JsonObject();
		header.addProperty("commit", "abc1234");
		header.addProperty("machine", "a processor");
		header.addProperty("threads", 2);
		header.addProperty("rounds", 3);
		header.addProperty("product_cap", "AVX");
		header.addProperty("check_tolerance", 1e-3);
		String md = KernelCapBenchmark.markdown(header, rows);
		assertTrue(md, md.contains("| AVX | right (2.0e-06) |"));
		assertTrue(md, md.contains("| AVX2 | WRONG (0.23) |"));
		assertTrue(md, md.contains("| AVX2 | 3.00x |"));
		assertTrue(md, md.contains("The product's cap on this processor: AVX."));
	}
}
