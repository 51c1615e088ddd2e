package org.mnseg.bundle;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.util.UserError;

import com.google.gson.JsonPrimitive;

/**
 * A bundle or checkpoint with flipped bytes is refused when read, naming the file: the zip's own CRC-32 of each entry
 * is checked, so weights that inflate without error but differ from what was written never load silently.
 */
public class ZipChecksumTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** Values are written in pieces: tensors longer than a piece, and a piece's remainder, come back exactly. */
	@Test
	public void tensorsLongerThanOneWritePieceComeBackExactly() throws Exception {
		SplittableRandom rng = new SplittableRandom(5);
		TensorStore store = new TensorStore();
		for (int n : new int[] { 3, 2 * 65536 + 7, 65536 }) {
			float[] values = new float[n];
			for (int i = 0; i < n; i++) values[i] = (float) rng.nextGaussian();
			store.put("t" + n, new long[] { n }, values);
		}
		ZipContainer zip = new ZipContainer();
		zip.putTensors("optimizer/2d", store);
		Path file = tmp.getRoot().toPath().resolve("pieces.mnckpt");
		zip.write(file);
		TensorStore back = ZipContainer.read(file, "checkpoint").tensors("optimizer/2d");
		store.asMap().forEach((name, t) -> assertArrayEquals(name, t.data(), back.get(name).data(), 0f));
	}

	@Test
	public void everyFlippedByteInTheWeightsIsRefused() throws Exception {
		SplittableRandom rng = new SplittableRandom(3);
		float[] weights = new float[50_000];
		for (int i = 0; i < weights.length; i++) weights[i] = (float) (rng.nextGaussian() * 0.05);
		ZipContainer zip = new ZipContainer();
		zip.putJson("bundle.json", new JsonPrimitive("tiny"));
		TensorStore store = new TensorStore();
		store.put("w", new long[] { weights.length }, weights);
		zip.putTensors("models/3d", store);
		Path file = tmp.getRoot().toPath().resolve("m.mnmodel");
		zip.write(file);
		assertArrayEquals(weights, ZipContainer.read(file, "model bundle").tensors("models/3d").get("w").data(), 0f);

		byte[] intact = Files.readAllBytes(file);
		int byChecksum = 0, flips = 0;
		// positions spread over the middle of the file, inside the deflated weights
		for (int pos = intact.length / 5; pos < intact.length * 4 / 5; pos += intact.length / 100) {
			byte[] damaged = intact.clone();
			damaged[pos] ^= 0x10;
			Path copy = tmp.getRoot().toPath().resolve("damaged-" + pos + ".mnmodel");
			Files.write(copy, damaged);
			flips++;
			try {
				ZipContainer.read(copy, "model bundle");
				fail("a bundle with byte " + pos + " flipped loaded");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains(copy.toString()));
				if (e.getMessage().contains("does not match the checksum")) byChecksum++;
			}
			Files.delete(copy);
		}
		assertTrue(flips >= 50);
		assertTrue("the checksum catches flips that inflate without error: " + byChecksum + " of " + flips, byChecksum > 0);
	}
}
