package org.mnseg.bundle;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.mnseg.util.AtomicFiles;
import org.mnseg.util.UserError;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The one-file container behind model bundles and checkpoints: a zip of JSON documents and tensor stores. A tensor
 * store {@code name} is an index {@code name/index.json} (tensor names, shapes, offsets) and the values
 * {@code name/values.f32} (little-endian float32), so the file opens with any zip tool and any language.
 */
public final class ZipContainer {
	private final Map<String, JsonElement> documents = new LinkedHashMap<>();
	private final Map<String, TensorStore> stores = new LinkedHashMap<>();
	private final Map<String, byte[]> blobs = new LinkedHashMap<>();

	public void putJson(String name, JsonElement json) {
		documents.put(name, json);
	}

	public JsonElement json(String name) {
		return documents.get(name);
	}

	public void putTensors(String name, TensorStore store) {
		stores.put(name, store);
	}

	public TensorStore tensors(String name) {
		return stores.get(name);
	}

	/** Raw bytes stored as {@code name.bin} (label maps, embedded files). */
	public void putBytes(String name, byte[] data) {
		blobs.put(name, data);
	}

	public byte[] bytes(String name) {
		return blobs.get(name);
	}

	public java.util.Set<String> byteEntries() {
		return blobs.keySet();
	}

	public void write(Path file) {
		AtomicFiles.write(file, out -> {
			ZipOutputStream zip = new ZipOutputStream(out);
			zip.setLevel(Deflater.BEST_SPEED);
			for (Map.Entry<String, JsonElement> doc : documents.entrySet()) {
				zip.putNextEntry(new ZipEntry(doc.getKey()));
				zip.write(org.mnseg.util.Json.GSON.toJson(doc.getValue()).getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
			for (Map.Entry<String, TensorStore> s : stores.entrySet()) {
				JsonArray index = new JsonArray();
				long offset = 0;
				for (Map.Entry<String, TensorStore.Tensor> t : s.getValue().asMap().entrySet()) {
					JsonObject e = new JsonObject();
					e.addProperty("name", t.getKey());
					JsonArray shape = new JsonArray();
					for (long d : t.getValue().shape()) shape.add(d);
					e.add("shape", shape);
					e.addProperty("offset", offset);
					offset += t.getValue().data().length;
					index.add(e);
				}
				zip.putNextEntry(new ZipEntry(s.getKey() + "/index.json"));
				zip.write(org.mnseg.util.Json.GSON.toJson(index).getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
				zip.putNextEntry(new ZipEntry(s.getKey() + "/values.f32"));
				for (TensorStore.Tensor t : s.getValue().asMap().values()) {
					ByteBuffer buf = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
					buf.asFloatBuffer().put(t.data());
					zip.write(buf.array());
				}
				zip.closeEntry();
			}
			for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
				zip.putNextEntry(new ZipEntry(b.getKey() + ".bin"));
				zip.write(b.getValue());
				zip.closeEntry();
			}
			zip.finish();
			zip.flush();
		});
	}

	/** Reads a container; {@code what} names the file's role in messages ("model bundle", "checkpoint"). */
	public static ZipContainer read(Path file, String what) {
		if (Files.isDirectory(file)) {
			// a run folder given where its model (or checkpoint) belongs: name the file inside it
			Path inside = file.resolve(what.equals("checkpoint") ? "checkpoint.mnckpt" : "model" + ModelBundle.FILE_EXTENSION);
			throw new UserError("The " + what + " " + file + " is a folder, not a file. Give the file itself"
				+ (Files.isRegularFile(inside) ? ", e.g. " + inside + "." : " (a run folder holds it as " + inside.getFileName() + ")."));
		}
		if (!Files.isRegularFile(file))
			throw new UserError("The " + what + " " + file + " does not exist. Check the path.");
		ZipContainer c = new ZipContainer();
		try (ZipFile zip = new ZipFile(file.toFile())) {
			Map<String, JsonArray> indexes = new LinkedHashMap<>();
			for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
				ZipEntry e = en.nextElement();
				String name = e.getName();
				if (name.endsWith("/index.json")) {
					String store = name.substring(0, name.length() - "/index.json".length());
					indexes.put(store, JsonParser.parseString(readText(zip, e, file, what)).getAsJsonArray());
				} else if (name.endsWith(".json")) {
					c.documents.put(name, JsonParser.parseString(readText(zip, e, file, what)));
				} else if (name.endsWith(".bin")) {
					c.blobs.put(name.substring(0, name.length() - 4), readChecked(zip, e, file, what));
				}
			}
			for (Map.Entry<String, JsonArray> idx : indexes.entrySet()) {
				ZipEntry values = zip.getEntry(idx.getKey() + "/values.f32");
				if (values == null) throw new ZipException("missing " + idx.getKey() + "/values.f32");
				TensorStore store = new TensorStore();
				CheckedInputStream checked = new CheckedInputStream(zip.getInputStream(values), new CRC32());
				try (DataInputStream in = new DataInputStream(checked)) {
					for (JsonElement el : idx.getValue()) {
						JsonObject o = el.getAsJsonObject();
						JsonArray shapeJson = o.getAsJsonArray("shape");
						long[] shape = new long[shapeJson.size()];
						long n = 1;
						for (int i = 0; i < shape.length; i++) n *= (shape[i] = shapeJson.get(i).getAsLong());
						byte[] bytes = new byte[Math.toIntExact(n * 4)];
						in.readFully(bytes);
						float[] data = new float[(int) n];
						ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
						store.put(o.get("name").getAsString(), shape, data);
					}
					in.transferTo(java.io.OutputStream.nullOutputStream()); // the checksum covers the whole entry
					requireChecksum(values, checked.getChecksum().getValue(), file, what);
				}
				c.stores.put(idx.getKey(), store);
			}
		} catch (UserError e) {
			throw e;
		} catch (NoSuchFileException e) {
			throw new UserError("The " + what + " " + file + " does not exist. Check the path.", e);
		} catch (IOException | RuntimeException e) {
			throw new UserError(file + " is not a readable " + what + " (" + e.getMessage()
				+ "). It may be truncated or not a file written by M&N; use the .mnmodel file a training run wrote.", e);
		}
		return c;
	}

	/**
	 * An entry's bytes, checked against the CRC-32 the zip stores with it. Java's ZipFile does not check it, and a
	 * flipped byte in incompressible data (weights) inflates without error: it would load as a slightly wrong model.
	 */
	private static byte[] readChecked(ZipFile zip, ZipEntry e, Path file, String what) throws IOException {
		try (InputStream in = zip.getInputStream(e)) {
			byte[] bytes = in.readAllBytes();
			CRC32 crc = new CRC32();
			crc.update(bytes);
			requireChecksum(e, crc.getValue(), file, what);
			return bytes;
		}
	}

	private static void requireChecksum(ZipEntry e, long crc, Path file, String what) {
		if (e.getCrc() != -1 && e.getCrc() != crc)
			throw new UserError("The " + what + " " + file + " is damaged: its entry " + e.getName()
				+ " does not match the checksum stored with it, so the file changed after it was written. Use an intact copy (or write it again).");
	}

	private static String readText(ZipFile zip, ZipEntry e, Path file, String what) throws IOException {
		return new String(readChecked(zip, e, file, what), StandardCharsets.UTF_8);
	}
}
