package org.mnseg.bundle;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.mnseg.util.AtomicFiles;
import org.mnseg.util.Sha256;
import org.mnseg.util.UserError;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The one-file container behind model bundles and checkpoints: a zip of JSON documents and tensor stores. A tensor
 * store {@code name} is an index {@code name/index.json} (tensor names, shapes, offsets) and the values
 * {@code name/values.f32} (little-endian float32), so the file opens with any zip tool and any language.
 *
 * <p>Every entry's SHA-256 is listed in {@value #CHECKSUMS}, written last and checked on reading, so a file with
 * flipped bytes or a truncated copy is refused instead of giving a model with wrong weights (files written before
 * the manifest existed are read without it). Reading trusts nothing else in the file either: entry names must be
 * plain relative names, and every size is checked against the entry's real size before anything is allocated.
 */
public final class ZipContainer {
	/** The manifest of entry checksums. */
	static final String CHECKSUMS = "checksums.sha256.json";
	/** Entry names: relative, no "..", nothing a zip tool could extract outside its folder. */
	private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
	/** The largest JSON document read into memory (bundle.json and tensor indexes are kilobytes). */
	private static final long MAX_JSON_BYTES = 64L << 20;
	/** The largest single entry: Java arrays end at 2 GiB. */
	private static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 8;
	/** Values written per piece of a tensor store. */
	private static final int WRITE_CHUNK_FLOATS = 1 << 16;
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
			JsonObject checksums = new JsonObject();
			for (Map.Entry<String, JsonElement> doc : documents.entrySet())
				putEntry(zip, checksums, doc.getKey(), org.mnseg.util.Json.GSON.toJson(doc.getValue()).getBytes(StandardCharsets.UTF_8));
			for (Map.Entry<String, TensorStore> s : stores.entrySet()) {
				JsonArray index = new JsonArray();
				long offset = 0;
				for (Map.Entry<String, TensorStore.Source> t : s.getValue().sources().entrySet()) {
					JsonObject e = new JsonObject();
					e.addProperty("name", t.getKey());
					JsonArray shape = new JsonArray();
					long n = 1;
					for (long d : t.getValue().shape()) {
						shape.add(d);
						n *= d;
					}
					e.add("shape", shape);
					e.addProperty("offset", offset);
					offset += n;
					index.add(e);
				}
				putEntry(zip, checksums, s.getKey() + "/index.json", org.mnseg.util.Json.GSON.toJson(index).getBytes(StandardCharsets.UTF_8));
				zip.putNextEntry(new ZipEntry(s.getKey() + "/values.f32"));
				MessageDigest digest = Sha256.newDigest();
				// through one small buffer: a copy of each tensor's bytes would be garbage the size of the model (an
				// M&N checkpoint holds both networks and their optimiser state), which makes the heap grow
				ByteBuffer buf = ByteBuffer.allocate(WRITE_CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
				for (TensorStore.Source t : s.getValue().sources().values()) {
					FloatBuffer values = t.floats();
					while (values.hasRemaining()) {
						int n = Math.min(WRITE_CHUNK_FLOATS, values.remaining());
						buf.clear();
						buf.asFloatBuffer().put(values.slice(values.position(), n));
						values.position(values.position() + n);
						zip.write(buf.array(), 0, 4 * n);
						digest.update(buf.array(), 0, 4 * n);
					}
				}
				zip.closeEntry();
				checksums.addProperty(s.getKey() + "/values.f32", Sha256.hex(digest));
			}
			for (Map.Entry<String, byte[]> b : blobs.entrySet())
				putEntry(zip, checksums, b.getKey() + ".bin", b.getValue());
			zip.putNextEntry(new ZipEntry(CHECKSUMS));
			zip.write(org.mnseg.util.Json.GSON.toJson(checksums).getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
			zip.finish();
			zip.flush();
		});
	}

	private static void putEntry(ZipOutputStream zip, JsonObject checksums, String name, byte[] data) throws IOException {
		zip.putNextEntry(new ZipEntry(name));
		zip.write(data);
		zip.closeEntry();
		checksums.addProperty(name, Sha256.hex(data));
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
			Map<String, ZipEntry> entries = new LinkedHashMap<>();
			for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
				ZipEntry e = en.nextElement();
				if (!SAFE_NAME.matcher(e.getName()).matches() || e.getName().contains(".."))
					throw damaged(file, what, "it holds an entry named '" + e.getName() + "', which no M&N file has");
				entries.put(e.getName(), e);
			}
			Checksums sums = Checksums.read(zip, entries, file, what);
			Map<String, JsonArray> indexes = new LinkedHashMap<>();
			for (ZipEntry e : entries.values()) {
				String name = e.getName();
				if (name.equals(CHECKSUMS) || name.endsWith("/values.f32")) continue;
				if (name.endsWith("/index.json")) {
					indexes.put(name.substring(0, name.length() - "/index.json".length()),
						JsonParser.parseString(new String(sums.read(zip, e, MAX_JSON_BYTES), StandardCharsets.UTF_8)).getAsJsonArray());
				} else if (name.endsWith(".json")) {
					c.documents.put(name, JsonParser.parseString(new String(sums.read(zip, e, MAX_JSON_BYTES), StandardCharsets.UTF_8)));
				} else if (name.endsWith(".bin")) {
					c.blobs.put(name.substring(0, name.length() - 4), sums.read(zip, e, MAX_ENTRY_BYTES));
				}
			}
			for (Map.Entry<String, JsonArray> idx : indexes.entrySet())
				c.stores.put(idx.getKey(), readStore(zip, entries.get(idx.getKey() + "/values.f32"), idx.getKey(), idx.getValue(), sums, file, what));
		} catch (NoSuchFileException e) {
			throw new UserError("The " + what + " " + file + " does not exist. Check the path.", e);
		} catch (UserError e) {
			throw e;
		} catch (IOException | RuntimeException e) {
			throw new UserError(file + " is not a readable " + what + " (" + e.getMessage()
				+ "). It may be truncated or not a file written by M&N; use the .mnmodel file a training run wrote.", e);
		}
		return c;
	}

	/** A tensor store's values, sized from its index and checked against the entry's real size before reading. */
	private static TensorStore readStore(ZipFile zip, ZipEntry values, String name, JsonArray index, Checksums sums, Path file, String what)
		throws IOException {
		if (values == null) throw damaged(file, what, "the tensor index " + name + " has no values entry");
		long[][] shapes = new long[index.size()][];
		long total = 0;
		for (int t = 0; t < index.size(); t++) {
			JsonArray shapeJson = index.get(t).getAsJsonObject().getAsJsonArray("shape");
			shapes[t] = new long[shapeJson.size()];
			long n = 1;
			for (int i = 0; i < shapes[t].length; i++) {
				shapes[t][i] = shapeJson.get(i).getAsLong();
				if (shapes[t][i] < 0 || (shapes[t][i] > 0 && n > MAX_ENTRY_BYTES / 4 / shapes[t][i]))
					throw damaged(file, what, "a tensor of " + name + " has the impossible shape " + shapeJson);
				n *= shapes[t][i];
			}
			total += 4 * n;
		}
		if (total != values.getSize())
			throw damaged(file, what, "the tensors of " + name + " need " + total + " bytes but its values entry holds " + values.getSize());
		TensorStore store = new TensorStore();
		MessageDigest digest = Sha256.newDigest();
		CheckedInputStream crc = new CheckedInputStream(zip.getInputStream(values), new CRC32());
		try (DataInputStream in = new DataInputStream(new java.security.DigestInputStream(crc, digest))) {
			for (int t = 0; t < index.size(); t++) {
				long n = 1;
				for (long d : shapes[t]) n *= d;
				byte[] bytes = new byte[Math.toIntExact(n * 4)];
				in.readFully(bytes);
				float[] data = new float[(int) n];
				ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
				store.put(index.get(t).getAsJsonObject().get("name").getAsString(), shapes[t], data);
			}
		}
		sums.checkCrc(values, crc.getChecksum().getValue());
		sums.check(values.getName(), digest);
		return store;
	}

	/** The checksum manifest of a file, or none for files written before it existed. */
	private record Checksums(JsonObject expected, Path file, String what) {
		static Checksums read(ZipFile zip, Map<String, ZipEntry> entries, Path file, String what) throws IOException {
			ZipEntry manifest = entries.get(CHECKSUMS);
			if (manifest == null) return new Checksums(null, file, what);
			Checksums none = new Checksums(null, file, what);
			JsonObject expected = JsonParser.parseString(new String(none.read(zip, manifest, MAX_JSON_BYTES), StandardCharsets.UTF_8)).getAsJsonObject();
			for (String name : entries.keySet())
				if (!name.equals(CHECKSUMS) && !expected.has(name))
					throw damaged(file, what, "its entry '" + name + "' was added after the file was written");
			for (String name : expected.keySet())
				if (!entries.containsKey(name)) throw damaged(file, what, "its entry '" + name + "' is missing");
			return new Checksums(expected, file, what);
		}

		/** The entry's bytes, at most {@code limit}, checked against the manifest. */
		byte[] read(ZipFile zip, ZipEntry e, long limit) throws IOException {
			if (e.getSize() > limit) throw damaged(file, what, "its entry '" + e.getName() + "' claims " + e.getSize() + " bytes");
			MessageDigest digest = Sha256.newDigest();
			byte[] data;
			try (InputStream in = zip.getInputStream(e)) {
				data = in.readNBytes((int) Math.min(limit, e.getSize() < 0 ? limit : e.getSize() + 1));
			}
			if (e.getSize() >= 0 && data.length != e.getSize())
				throw damaged(file, what, "its entry '" + e.getName() + "' is " + data.length + " bytes long instead of " + e.getSize());
			digest.update(data);
			CRC32 crc = new CRC32();
			crc.update(data);
			checkCrc(e, crc.getValue());
			check(e.getName(), digest);
			return data;
		}

		/**
		 * The CRC-32 the zip stores with every entry, which Java's ZipFile does not check: it catches a flipped byte in
		 * files written before the manifest existed too (weights inflate without error and would load slightly wrong).
		 */
		void checkCrc(ZipEntry e, long crc) {
			if (e.getCrc() != -1 && e.getCrc() != crc)
				throw damaged(file, what, "its entry '" + e.getName() + "' does not match the checksum stored with it (changed bytes or an incomplete copy)");
		}

		void check(String name, MessageDigest digest) {
			if (expected == null) return;
			String got = Sha256.hex(digest);
			if (!got.equals(expected.get(name).getAsString()))
				throw damaged(file, what, "its entry '" + name + "' does not match the checksum written with it (changed bytes or an incomplete copy)");
		}
	}

	private static UserError damaged(Path file, String what, String why) {
		return new UserError("The " + what + " " + file + " is damaged and was not used: " + why
			+ ". Copy it again from where it came from (or use another " + what + ").");
	}
}
