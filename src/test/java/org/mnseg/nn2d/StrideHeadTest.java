package org.mnseg.nn2d;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** StrideHead (1x1 conv + pixel shuffle) against PyTorch's ConvTranspose2d(k=s, stride=s) on the concatenation. */
public class StrideHeadTest {

	private static float[] floats(JsonArray a) {
		float[] f = new float[a.size()];
		for (int i = 0; i < f.length; i++) f[i] = a.get(i).getAsFloat();
		return f;
	}

	private static Shape shape(JsonArray a) {
		long[] s = new long[a.size()];
		for (int i = 0; i < s.length; i++) s[i] = a.get(i).getAsLong();
		return new Shape(s);
	}

	@Test
	public void equalsTorchConvTranspose2d() throws Exception {
		JsonObject ref;
		try (InputStreamReader r = new InputStreamReader(getClass().getResourceAsStream("/fixtures/nn2d/stride_head.json"), StandardCharsets.UTF_8)) {
			ref = JsonParser.parseReader(r).getAsJsonObject();
		}
		int s = ref.get("stride").getAsInt();
		int classes = ref.get("classes").getAsInt();
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray x = m.create(floats(ref.getAsJsonArray("x")), shape(ref.getAsJsonArray("x_shape")));
			NDArray f = m.create(floats(ref.getAsJsonArray("features")), shape(ref.getAsJsonArray("features_shape")));
			StrideHead head = new StrideHead("head", (int) f.getShape().get(1), (int) x.getShape().get(1), classes, s, m, 1);
			head.params().get(0).set(floats(ref.getAsJsonArray("weight")));
			head.params().get(1).set(floats(ref.getAsJsonArray("bias")));
			try (NDManager step = m.newSubManager()) {
				// as in a network's forward: input and features live in the step's manager
				NDArray xs = x.duplicate();
				xs.attach(step);
				NDArray fs = f.duplicate();
				fs.attach(step);
				NDArray out = head.apply(fs, xs);
				assertEquals(shape(ref.getAsJsonArray("out_shape")), out.getShape());
				assertArrayEquals(floats(ref.getAsJsonArray("out")), out.toFloatArray(), 1e-5f);
				assertEquals("result in the input's manager", step, out.getManager());
			}
		}
	}
}
