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
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.RunListener;
import org.mnseg.util.UserError;

import ai.djl.Device;

/**
 * The 2.5-D partner ({@code --input2d 2.5d}) on the path a user takes: trained by M&N, saved with three input
 * channels, and segmenting 1-channel volumes from the bundle through the same neighbour stacking.
 */
public class Input25dTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	private static Path run(Path dataset, String input2d) throws Exception {
		Path out = tmp.newFolder("run-" + input2d).toPath();
		Map<String, String> o = CoTrainingTest.tiny("mn", 3);
		o.put("input2d", input2d);
		o.put("pretrained2d", "false");
		o.put("fine-tuning", "whole");
		TrainWorkflow.run(new TrainWorkflow.Request(dataset, 2, "mn", "cpu", o, out, false, false, Device.cpu()), RunListener.NONE, () -> false);
		return out;
	}

	private static byte[] segment2d(ModelBundle bundle, Volume image) {
		try (Segmenter s = new Segmenter(bundle, "2d", Device.cpu(), Segmenter.defaultWindow(bundle.info()))) {
			return s.segment(image).labels().data();
		}
	}

	@Test
	public void mnTrainsA25dPartnerThatSegmentsFromItsBundle() throws Exception {
		Path dataset = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 3, 41);
		Path slice = run(dataset, "slice"), neighbours = run(dataset, "2.5d");
		ModelBundle b = ModelBundle.load(neighbours.resolve(TrainWorkflow.BUNDLE_FILE));
		assertEquals(3, ((Number) b.models().get("2d").config().get("in_channels")).intValue());
		assertEquals(1, b.info().inChannels);
		assertEquals("2.5d", String.valueOf(((Map<?, ?>) b.info().plan.get("settings")).get("input2d")));

		Volume image = VolumeIO.readImage(dataset.resolve("images/case00.nii.gz"));
		byte[] labels25d, labelsSlice;
		labels25d = segment2d(b, image);
		labelsSlice = segment2d(ModelBundle.load(slice.resolve(TrainWorkflow.BUNDLE_FILE)), image);
		assertEquals(image.shape()[0] * image.shape()[1] * image.shape()[2], labels25d.length);
		// the same seed and data: only the partner's input differs, and it shows
		assertFalse(Arrays.equals(labels25d, labelsSlice));
		// the 3-D model is still a 1-channel UNet
		assertEquals(1, ((Number) b.models().get("3d").config().get("in_channels")).intValue());
	}

	@Test
	public void anUnknownInputModeIsRefusedBeforeTraining() throws Exception {
		Path dataset = SyntheticDataset.write(tmp.newFolder("data-bad").toPath(), 2, 3, 41);
		Map<String, String> o = CoTrainingTest.tiny("mn", 3);
		o.put("input2d", "3d");
		Path out = tmp.getRoot().toPath().resolve("never");
		try {
			TrainWorkflow.run(new TrainWorkflow.Request(dataset, 2, "mn", "cpu", o, out, false, false, Device.cpu()), RunListener.NONE, () -> false);
			fail("--input2d 3d was accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--input2d") && e.getMessage().contains("2.5d"));
		}
		assertArrayEquals(new String[0], out.toFile().exists() ? out.toFile().list() : new String[0]);
	}
}
