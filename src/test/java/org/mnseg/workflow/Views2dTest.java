package org.mnseg.workflow;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.Volume;
import org.mnseg.inference.Segmenter;
import org.mnseg.io.VolumeIO;
import org.mnseg.nn.Network;
import org.mnseg.nn.SliceViews;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.RunListener;
import org.mnseg.util.UserError;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * The multi-view partner ({@code --views2d all}) on the path a user takes: M&N trains it, the bundle records it, and
 * the bundle's 2-D model segments through the three orientations (mn segment --model-role 2d, validation, suggest).
 */
public class Views2dTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	private static Map<String, String> options(String views) {
		Map<String, String> o = CoTrainingTest.tiny("mn", 3);
		o.put("views2d", views);
		o.put("patch", "16,16,16"); // coronal and sagittal slices are Z voxels high: deep enough for the tiny SegFormer's strides
		o.put("pretrained2d", "false");
		o.put("fine-tuning", "whole");
		return o;
	}

	private static Path train(Path dataset, String views) throws Exception {
		Path out = tmp.newFolder("run-" + views).toPath();
		TrainWorkflow.run(new TrainWorkflow.Request(dataset, 2, "mn", "cpu", options(views), out, false, false, Device.cpu()), RunListener.NONE,
			() -> false);
		return out;
	}

	@Test
	public void mnTrainsAThreeViewPartnerThatSegmentsThroughAllViewsFromItsBundle() throws Exception {
		Path dataset = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 3, 43);
		ModelBundle all = ModelBundle.load(train(dataset, "all").resolve(TrainWorkflow.BUNDLE_FILE));
		ModelBundle axial = ModelBundle.load(train(dataset, "axial").resolve(TrainWorkflow.BUNDLE_FILE));
		assertEquals("all", all.info().views2d);
		assertEquals("axial", axial.info().views2d);

		Volume image = VolumeIO.readImage(dataset.resolve("images/case00.nii.gz"));
		byte[] fromBundle;
		try (Segmenter s = new Segmenter(all, "2d", Device.cpu(), Segmenter.defaultWindow(all.info()))) {
			fromBundle = s.segment(image, true, null, null).labels().data();
		}
		// the same network read in all three orientations by hand, and read axially only
		try (NDManager m = NDManager.newBaseManager(); Network net = all.instantiate("2d", m)) {
			byte[] threeViews = inMemory(all, net, image, SliceViews.ALL), axialOnly = inMemory(all, net, image, SliceViews.AXIAL);
			assertArrayEquals(threeViews, fromBundle);
			assertFalse("three views segment as one view does", Arrays.equals(threeViews, axialOnly));
		}
		// the 3-D model is untouched by the partner's views
		assertEquals(1, ((Number) all.models().get("3d").config().get("in_channels")).intValue());
	}

	/** The labels of {@code net} on the raw image, normalised as the bundle says, read in {@code views}. */
	private static byte[] inMemory(ModelBundle bundle, Network net, Volume image, SliceViews views) {
		Volume normalised = org.mnseg.data.Normalization.parse(bundle.info().normalization).apply(image);
		return Segmenter.of(net, Segmenter.defaultWindow(bundle.info()), 1, views, 0).segment(normalised).labels().data();
	}

	@Test
	public void anUnknownViewIsRefusedBeforeAnythingIsWritten() throws Exception {
		Path dataset = SyntheticDataset.write(tmp.newFolder("data-bad").toPath(), 2, 3, 43);
		Path out = tmp.getRoot().toPath().resolve("never");
		try {
			TrainWorkflow.run(new TrainWorkflow.Request(dataset, 2, "mn", "cpu", options("coronal"), out, false, false, Device.cpu()),
				RunListener.NONE, () -> false);
			fail("--views2d coronal was accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--views2d") && e.getMessage().contains("all"));
		}
		assertFalse(out.toFile().exists());
	}
}
