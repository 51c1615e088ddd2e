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
import org.mnseg.nn.Network;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * The one prediction path: a bundle written in format 1 (before the window settings were one object) still opens
 * and segments to the labels it gave then; an in-memory network segments as its bundle does; progress callbacks
 * belong to one call.
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
}
