package org.mnseg.inference;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.Volume;
import org.mnseg.inference.SlidingWindow.Blending;
import org.mnseg.io.VolumeIO;
import org.mnseg.data.Geometry;
import org.mnseg.nn.Network;
import org.mnseg.nn.UNet3D;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * The one prediction path: a bundle written in format 1 (before the window settings were one object) still opens
 * and segments to the labels it gave then; an in-memory network segments as its bundle does; progress callbacks
 * belong to one call; the number of windows per forward pass changes memory, not predictions.
 */
public class SegmenterTest {
	/**
	 * Written by the code of format 1 (commit f051323, `labeled-only` on SyntheticDataset with patch 16,16,8, overlap
	 * 0.25, gaussian blending), with the image it was applied to and the labels it gave.
	 */
	private static final Path FIXTURES = Paths.get("src/test/resources/fixtures/bundle");

	@Test
	public void formatOneBundleSegmentsToTheLabelsItGaveThen() {
		ModelBundle bundle = ModelBundle.load(FIXTURES.resolve("format1.mnmodel"));
		assertEquals(1, bundle.info().formatVersion);
		WindowSettings window = Segmenter.defaultWindow(bundle.info());
		assertEquals(new WindowSettings(new int[] { 16, 16, 8 }, 0.25, Blending.GAUSSIAN, WindowSettings.DEFAULT_BATCH), window);
		byte[] expected = VolumeIO.readLabels(FIXTURES.resolve("format1-labels.nii.gz")).data();
		try (Segmenter s = new Segmenter(bundle, null, Device.cpu(), window)) {
			assertArrayEquals(expected, s.segment(VolumeIO.readImage(FIXTURES.resolve("format1-image.nii.gz"))).labels().data());
		}
	}

	@Test
	public void inMemoryNetworkSegmentsAsItsBundleDoesAndCallbacksStayWithTheirCall() {
		ModelBundle bundle = ModelBundle.load(FIXTURES.resolve("format1.mnmodel"));
		Volume image = VolumeIO.readImage(FIXTURES.resolve("format1-image.nii.gz"));
		WindowSettings window = Segmenter.defaultWindow(bundle.info()).withBatch(2);
		try (Segmenter fromBundle = new Segmenter(bundle, null, Device.cpu(), window);
				NDManager m = NDManager.newBaseManager(Device.cpu());
				Network net = bundle.instantiate("3d", m)) {
			// the bundle normalises with "none": the raw image is what the in-memory network expects
			Segmenter inMemory = Segmenter.of(net, window, net.inChannels());
			List<int[]> calls = new ArrayList<>();
			byte[] first = fromBundle.segment(image, false, (done, total) -> calls.add(new int[] { done, total }), null).labels().data();
			int windows = calls.size();
			assertNotEquals(0, windows);
			assertArrayEquals(first, fromBundle.segment(image).labels().data());
			assertEquals("a later call does not report to an earlier call's progress", windows, calls.size());
			assertArrayEquals(first, inMemory.segment(image).labels().data());
			inMemory.close();
			// the network still belongs to its owner: it predicts after the segmenter is closed
			assertArrayEquals(first, Segmenter.of(net, window, net.inChannels()).segment(image).labels().data());
		}
	}

	/**
	 * Training predicts (foreground maps, validation) with at most its batch size of windows per pass, the finished
	 * bundle with 8: a 3-D network at the cpu preset's hippocampus size (4 levels, 16 filters, window 32 x 48 x 32; a
	 * 37 x 50 x 35 volume is 8 windows) gives the same probabilities bit for bit whatever the window batch, down to
	 * two windows per pass; one window alone takes another kernel path in the engine and differs by rounding only.
	 */
	@Test
	public void windowBatchChangesNoProbability() {
		java.util.Random random = new java.util.Random(5);
		float[] voxels = new float[37 * 50 * 35];
		for (int i = 0; i < voxels.length; i++) voxels[i] = (float) random.nextGaussian();
		Volume image = Volume.wrap(voxels, new long[] { 37, 50, 35 }, Geometry.unit());
		try (NDManager m = NDManager.newBaseManager(Device.cpu()); UNet3D net = new UNet3D(m, 1, 3, 4, 16, 11)) {
			float[][] reference = null;
			for (int batch : new int[] { 8, 2, 3, 5, 1 }) {
				WindowSettings window = new WindowSettings(new int[] { 32, 48, 32 }, 0.5, Blending.UNIFORM, batch);
				List<int[]> calls = new ArrayList<>();
				float[][] p = Segmenter.of(net, window, 1).segment(image, true, (done, total) -> calls.add(new int[] { done, total }), null)
					.probabilities();
				assertEquals("8 windows in batches of " + batch, (8 + batch - 1) / batch, calls.size());
				if (reference == null) reference = p;
				else for (int c = 0; c < p.length; c++)
					assertArrayEquals("class " + c + ", " + batch + " windows per pass", reference[c], p[c], batch == 1 ? 1e-5f : 0f);
			}
		}
	}
}
