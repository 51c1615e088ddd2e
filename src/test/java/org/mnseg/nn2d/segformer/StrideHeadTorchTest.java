package org.mnseg.nn2d.segformer;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.Test;
import org.mnseg.nn.Param;
import org.mnseg.nn2d.StrideHead;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * {@link StrideHead} (1x1 conv + pixel shuffle) against PyTorch's cat + ConvTranspose2d(259, 3, k=4, s=4), written by
 * scripts/reference/make_stride_head_fixture.py.
 */
public class StrideHeadTorchTest {
	private static final String BASE = "/fixtures/nn2d/segformer/stride_head";

	@Test
	public void matchesConvTranspose2dWithKernelEqualToStride() throws Exception {
		JsonObject index;
		try (InputStream in = getClass().getResourceAsStream(BASE + ".json")) {
			index = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject()
				.getAsJsonObject("tensors");
		}
		float[] all;
		try (InputStream in = getClass().getResourceAsStream(BASE + ".f32")) {
			byte[] bytes = in.readAllBytes();
			all = new float[bytes.length / 4];
			ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(all);
		}
		try (NDManager m = NDManager.newBaseManager()) {
			StrideHead head = new StrideHead("head", 256, 3, 3, 4, m, 5);
			for (Param p : head.params())
				p.set(values(index, all, p.name().substring("head.".length())));
			NDArray features = m.create(values(index, all, "features"), shape(index, "features"));
			NDArray image = m.create(values(index, all, "image"), shape(index, "image"));
			NDArray logits = head.apply(features, image);
			assertEquals(shape(index, "logits"), logits.getShape());
			assertArrayEquals(values(index, all, "logits"), logits.toFloatArray(), 1e-5f);
		}
	}

	private static Shape shape(JsonObject index, String name) {
		return new Shape(new com.google.gson.Gson().fromJson(index.getAsJsonObject(name).get("shape"), long[].class));
	}

	private static float[] values(JsonObject index, float[] all, String name) {
		int offset = index.getAsJsonObject(name).get("offset").getAsInt();
		float[] out = new float[(int) shape(index, name).size()];
		System.arraycopy(all, offset, out, 0, out.length);
		return out;
	}
}
