package org.mnseg.pretrained;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Test-only reader of the float32 safetensors conversions in ../shared/models (made by someone else), used as an
 * independent cross-check of the .tflite reader: 8-byte little-endian header length, JSON header, raw data.
 */
final class SafetensorsFile {
	private final JsonObject header;
	private final ByteBuffer data;

	private SafetensorsFile(JsonObject header, ByteBuffer data) {
		this.header = header;
		this.data = data;
	}

	static SafetensorsFile read(Path file) throws IOException {
		ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
		int n = (int) all.getLong(0);
		JsonObject header = JsonParser.parseString(new String(all.array(), 8, n, StandardCharsets.UTF_8)).getAsJsonObject();
		all.position(8 + n);
		return new SafetensorsFile(header, all.slice().order(ByteOrder.LITTLE_ENDIAN));
	}

	boolean has(String name) {
		return header.has(name);
	}

	int[] shape(String name) {
		JsonArray a = header.getAsJsonObject(name).getAsJsonArray("shape");
		int[] s = new int[a.size()];
		for (int i = 0; i < s.length; i++) s[i] = a.get(i).getAsInt();
		return s;
	}

	float[] floats(String name) {
		JsonObject e = header.getAsJsonObject(name);
		if (!"F32".equals(e.get("dtype").getAsString())) throw new IllegalStateException(name + " is not F32");
		JsonArray off = e.getAsJsonArray("data_offsets");
		int start = off.get(0).getAsInt();
		int end = off.get(1).getAsInt();
		float[] f = new float[(end - start) / 4];
		ByteBuffer v = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		v.position(start);
		v.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
		return f;
	}
}
