package org.mnseg.pretrained.safetensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** Test helper that writes safetensors files byte by byte, as the format's specification describes them. */
public final class SafetensorsWriter {
	private final Map<String, JsonObject> header = new LinkedHashMap<>();
	private final ByteArrayOutputStream data = new ByteArrayOutputStream();

	/** Adds a tensor given as raw little-endian bytes. */
	public SafetensorsWriter raw(String name, String dtype, long[] shape, byte[] bytes) {
		JsonObject entry = new JsonObject();
		entry.addProperty("dtype", dtype);
		JsonArray s = new JsonArray();
		for (long d : shape)
			s.add(d);
		entry.add("shape", s);
		JsonArray offsets = new JsonArray();
		offsets.add(data.size());
		offsets.add(data.size() + bytes.length);
		entry.add("data_offsets", offsets);
		header.put(name, entry);
		data.writeBytes(bytes);
		return this;
	}

	public SafetensorsWriter f32(String name, long[] shape, float[] values) {
		ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
		for (float v : values)
			b.putFloat(v);
		return raw(name, "F32", shape, b.array());
	}

	/** Serialises the file; the header is padded with spaces to a multiple of 8 bytes, as the reference writer does. */
	public byte[] bytes() {
		JsonObject root = new JsonObject();
		JsonObject meta = new JsonObject();
		meta.addProperty("format", "pt");
		root.add("__metadata__", meta);
		header.forEach(root::add);
		byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		ByteBuffer out = ByteBuffer.allocate(8 + padded + data.size()).order(ByteOrder.LITTLE_ENDIAN);
		out.putLong(padded);
		out.put(json);
		for (int i = json.length; i < padded; i++)
			out.put((byte) ' ');
		out.put(data.toByteArray());
		return out.array();
	}

	public Path write(Path file) throws IOException {
		Files.write(file, bytes());
		return file;
	}
}
