package org.mnseg.bundle;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.nn.Network;
import org.mnseg.nn.UNet3D;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDManager;

/**
 * Bundles from strangers: every entry is checked against the checksum manifest written with it, entry names cannot
 * leave their folder, sizes are checked before anything is allocated, and the class names must match the outputs.
 * Each damaged file is refused with one line naming the file.
 */
public class BundleIntegrityTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	private Path saved(int classNames) {
		Path file = tmp.getRoot().toPath().resolve("model.mnmodel");
		try (NDManager m = NDManager.newBaseManager()) {
			BundleInfo info = new BundleInfo();
			for (int k = 0; k < classNames; k++) info.classNames.add("class" + k);
			ModelBundle b = new ModelBundle(info);
			b.put("3d", new UNet3D(m, 1, 2, 2, 4, 7));
			b.save(file);
		}
		return file;
	}

	/** Copies a zip entry by entry, letting {@code edit} change the entries (null drops one). */
	private Path rewritten(Path source, String name, Map<String, UnaryOperator<byte[]>> edits, Map<String, byte[]> added) throws IOException {
		Path out = tmp.getRoot().toPath().resolve(name);
		Map<String, byte[]> entries = new LinkedHashMap<>();
		try (ZipFile zip = new ZipFile(source.toFile())) {
			for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
				ZipEntry e = en.nextElement();
				try (InputStream in = zip.getInputStream(e)) {
					entries.put(e.getName(), in.readAllBytes());
				}
			}
		}
		for (Map.Entry<String, UnaryOperator<byte[]>> edit : edits.entrySet()) entries.compute(edit.getKey(), (k, v) -> edit.getValue().apply(v));
		entries.putAll(added);
		try (OutputStream os = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
			for (Map.Entry<String, byte[]> e : entries.entrySet()) {
				if (e.getValue() == null) continue;
				zip.putNextEntry(new ZipEntry(e.getKey()));
				zip.write(e.getValue());
				zip.closeEntry();
			}
		}
		return out;
	}

	private static void assertRefused(Path file, String... words) {
		try {
			ModelBundle.load(file);
			fail("a damaged bundle was read: " + file);
		} catch (UserError e) {
			String msg = e.getMessage();
			assertTrue(msg, msg.contains(file.toString()) && !msg.contains("\n"));
			for (String w : words) assertTrue("'" + w + "' missing from: " + msg, msg.contains(w));
		}
	}

	@Test
	public void anIntactBundleLoadsWithItsWeights() {
		Path file = saved(2);
		ModelBundle b = ModelBundle.load(file);
		try (NDManager m = NDManager.newBaseManager(); Network net = b.instantiate("3d", m); Network fresh = new UNet3D(m, 1, 2, 2, 4, 7)) {
			assertArrayEquals(fresh.params().get(0).array().toFloatArray(), net.params().get(0).array().toFloatArray(), 0f);
		}
	}

	@Test
	public void oneFlippedByteInTheWeightsIsRefused() throws IOException {
		Path bad = rewritten(saved(2), "flipped.mnmodel", Map.of("models/3d/values.f32", v -> {
			byte[] c = v.clone();
			c[c.length / 2] ^= 0x10;
			return c;
		}), Map.of());
		assertRefused(bad, "damaged", "models/3d/values.f32", "checksum");
	}

	@Test
	public void aChangedBundleJsonIsRefused() throws IOException {
		Path bad = rewritten(saved(2), "edited.mnmodel",
			Map.of("bundle.json", v -> new String(v, StandardCharsets.UTF_8).replace("class1", "tumour").getBytes(StandardCharsets.UTF_8)), Map.of());
		assertRefused(bad, "bundle.json", "checksum");
	}

	@Test
	public void missingAndAddedEntriesAreRefused() throws IOException {
		Path file = saved(2);
		assertRefused(rewritten(file, "missing.mnmodel", Map.of("models/3d/index.json", v -> null), Map.of()), "models/3d/index.json", "missing");
		assertRefused(rewritten(file, "added.mnmodel", Map.of(), Map.of("extra.bin", new byte[] { 1, 2, 3 })), "extra.bin", "added");
	}

	@Test
	public void entryNamesThatLeaveTheirFolderAreRefused() throws IOException {
		Path file = saved(2);
		assertRefused(rewritten(file, "escape.mnmodel", Map.of(), Map.of("pretrained/../../evil.bin", new byte[] { 1 })), "../../evil.bin");
		assertRefused(rewritten(file, "absolute.mnmodel", Map.of(), Map.of("/etc/evil.bin", new byte[] { 1 })), "/etc/evil.bin");
	}

	@Test
	public void anIndexClaimingMoreThanItsValuesIsRefusedBeforeAllocating() throws IOException {
		// a file of the format before the manifest: nothing but the sizes protects the reader
		Path huge = rewritten(saved(2), "huge.mnmodel", Map.of(ZipContainer.CHECKSUMS, v -> null, "models/3d/index.json",
			v -> {
				com.google.gson.JsonArray index = com.google.gson.JsonParser.parseString(new String(v, StandardCharsets.UTF_8)).getAsJsonArray();
				com.google.gson.JsonArray shape = index.get(0).getAsJsonObject().getAsJsonArray("shape");
				shape.set(0, new com.google.gson.JsonPrimitive(shape.get(0).getAsLong() * 1_000_000_000L));
				return index.toString().getBytes(StandardCharsets.UTF_8);
			}),
			Map.of());
		assertRefused(huge, "models/3d");
	}

	@Test
	public void classNamesThatDoNotMatchTheOutputsAreRefused() {
		Path file = saved(3);
		ModelBundle b = ModelBundle.load(file);
		try (NDManager m = NDManager.newBaseManager()) {
			b.instantiate("3d", m).close();
			fail("a bundle naming 3 classes for a 2-class network was used");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("predicts 2 classes") && e.getMessage().contains("names 3"));
		}
	}
}
