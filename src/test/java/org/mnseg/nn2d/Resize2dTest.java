package org.mnseg.nn2d;

import static org.junit.Assert.assertEquals;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

import org.mnseg.nn.LinearResize;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

public class Resize2dTest {

	private static float[] floats(JsonArray a) {
		float[] f = new float[a.size()];
		for (int i = 0; i < f.length; i++) f[i] = a.get(i).getAsFloat();
		return f;
	}

	@Test
	public void matchesPyTorchBilinearInBothConventions() throws Exception {
		JsonObject ref;
		try (InputStreamReader r = new InputStreamReader(getClass().getResourceAsStream("/fixtures/nn2d/resize_bilinear.json"), StandardCharsets.UTF_8)) {
			ref = JsonParser.parseReader(r).getAsJsonObject();
		}
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray x = m.create(floats(ref.getAsJsonArray("x")), new Shape(2, 3, 5, 7));
			int checked = 0;
			for (String key : ref.keySet()) {
				if (key.equals("x")) continue;
				String[] parts = key.substring(key.lastIndexOf('_') + 1).split("x");
				int h = Integer.parseInt(parts[0]);
				int w = Integer.parseInt(parts[1]);
				LinearResize.Mode mode = key.startsWith("half_pixel") ? LinearResize.Mode.HALF_PIXEL : LinearResize.Mode.ALIGN_CORNERS;
				float[] got = Resize2d.bilinear(x, h, w, mode).toFloatArray();
				float[] want = floats(ref.getAsJsonArray(key));
				assertEquals(key, want.length, got.length);
				for (int i = 0; i < want.length; i++) assertEquals(key + "[" + i + "]", want[i], got[i], 1e-5);
				checked++;
			}
			assertEquals(6, checked);
		}
	}
}
