package org.mnseg.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Reference tensors written by scripts/reference/make_nn_fixtures.py: {@code <group>.json} indexes shapes and float
 * offsets into the little-endian float32 file {@code <group>.f32}.
 */
final class TorchFixture {
	private final String group;
	private final JsonObject tensors;
	private final JsonObject scalars;
	private final float[] data;

	private TorchFixture(String group, JsonObject index, float[] data) {
		this.group = group;
		this.tensors = index.getAsJsonObject("tensors");
		this.scalars = index.getAsJsonObject("scalars");
		this.data = data;
	}

	static TorchFixture load(String group) throws IOException {
		String base = "/fixtures/nn/" + group;
		JsonObject index;
		try (InputStream in = resource(base + ".json")) {
			index = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
		}
		byte[] bytes;
		try (InputStream in = resource(base + ".f32")) {
			bytes = in.readAllBytes();
		}
		float[] data = new float[bytes.length / 4];
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
		return new TorchFixture(group, index, data);
	}

	private static InputStream resource(String path) throws IOException {
		InputStream in = TorchFixture.class.getResourceAsStream(path);
		if (in == null)
			throw new IOException("missing test resource " + path + ": run scripts/reference/make_nn_fixtures.py");
		return in;
	}

	Shape shape(String key) {
		List<Long> dims = new ArrayList<>();
		entry(key).getAsJsonArray("shape").forEach(e -> dims.add(e.getAsLong()));
		return new Shape(dims.stream().mapToLong(Long::longValue).toArray());
	}

	float[] values(String key) {
		int offset = entry(key).get("offset").getAsInt();
		int size = Math.toIntExact(shape(key).size());
		float[] out = new float[size];
		System.arraycopy(data, offset, out, 0, size);
		return out;
	}

	NDArray array(NDManager manager, String key) {
		return manager.create(values(key), shape(key));
	}

	double scalar(String key) {
		assertTrue(group + " has no scalar " + key, scalars.has(key));
		return scalars.get(key).getAsDouble();
	}

	List<String> keysWithPrefix(String prefix) {
		List<String> keys = new ArrayList<>();
		for (Map.Entry<String, ?> e : tensors.entrySet())
			if (e.getKey().startsWith(prefix))
				keys.add(e.getKey().substring(prefix.length()));
		return keys;
	}

	private JsonObject entry(String key) {
		assertTrue(group + " has no tensor " + key, tensors.has(key));
		return tensors.getAsJsonObject(key);
	}

	/** Asserts equal shape and every element within {@code tolerance}. */
	void assertMatches(String key, NDArray actual, double tolerance) {
		assertEquals(key + " shape", shape(key), actual.getShape());
		assertClose(key, values(key), actual.toFloatArray(), tolerance);
	}

	static void assertClose(String what, float[] expected, float[] actual, double tolerance) {
		assertEquals(what + " size", expected.length, actual.length);
		double worst = 0;
		int at = -1;
		for (int i = 0; i < expected.length; i++) {
			double d = Math.abs(expected[i] - (double) actual[i]);
			if (!(d <= worst)) {
				worst = d;
				at = i;
			}
		}
		assertTrue(what + ": max abs diff " + worst + " at " + at + " exceeds " + tolerance, worst <= tolerance);
	}
}
