package org.mnseg.inference;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.Geometry;
import org.mnseg.data.Volume;
import org.mnseg.testutil.TinyBundles;
import org.mnseg.testutil.TinyBundles.Partner;
import org.mnseg.util.UserError;

import ai.djl.Device;

/**
 * {@code --role ensemble}: an M&amp;N bundle's two networks segment together, each voxel's class probabilities the mean
 * of the 3-D and the 2-D model's; a bundle without a 2-D model is refused in one line.
 */
public class EnsembleRoleTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	private static Volume noise(int x, int y, int z, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		float[] voxels = new float[x * y * z];
		for (int i = 0; i < voxels.length; i++) voxels[i] = (float) random.nextDouble(-1, 1);
		return Volume.wrap(voxels, new long[] { x, y, z }, Geometry.unit());
	}

	private static float[][] probabilities(ModelBundle bundle, String role, Volume image) {
		try (Segmenter s = new Segmenter(bundle, role, Device.cpu(), Segmenter.defaultWindow(bundle.info()))) {
			return s.segment(image, true, null, null).probabilities();
		}
	}

	/** One window covers the volume (no blending), so the ensemble's probabilities are exactly the two models' mean. */
	@Test
	public void probabilitiesAreTheMeanOfTheTwoModels() {
		ModelBundle bundle = ModelBundle.load(TinyBundles.write(tmp.getRoot().toPath().resolve("mn.mnmodel"), Partner.SEGFORMER, 3, List.of("a")));
		Volume image = noise(16, 16, 8, 7); // the tiny bundle's window
		float[][] p3 = probabilities(bundle, "3d", image), p2 = probabilities(bundle, "2d", image), both = probabilities(bundle, Segmenter.ENSEMBLE, image);
		double largestGap = 0;
		for (int c = 0; c < both.length; c++)
			for (int i = 0; i < both[c].length; i++) {
				assertEquals("class " + c + ", voxel " + i, (p3[c][i] + p2[c][i]) / 2, both[c][i], 1e-5);
				largestGap = Math.max(largestGap, Math.abs(p3[c][i] - p2[c][i]));
			}
		assertTrue("the two untrained models must disagree for the test to mean anything", largestGap > 0.01);
	}

	/**
	 * Two models that agree give the labels either gives, also where overlapping windows are blended (the mean's log
	 * differs from the logits by the same amount for every class of a voxel).
	 */
	@Test
	public void twoModelsThatAgreeGiveTheirOwnLabels() {
		ModelBundle bundle = ModelBundle.load(TinyBundles.write(tmp.getRoot().toPath().resolve("same.mnmodel"), Partner.SAME, 4, List.of("a")));
		Volume image = noise(27, 21, 13, 9); // several overlapping windows
		try (Segmenter one = new Segmenter(bundle, "3d", Device.cpu(), Segmenter.defaultWindow(bundle.info()));
				Segmenter both = new Segmenter(bundle, Segmenter.ENSEMBLE, Device.cpu(), Segmenter.defaultWindow(bundle.info()))) {
			byte[] labels = one.segment(image).labels().data();
			assertNotEquals("an untrained network still gives more than one class here", 1, java.util.stream.IntStream.range(0, labels.length)
				.map(i -> labels[i]).distinct().count());
			assertArrayEquals(labels, both.segment(image).labels().data());
		}
	}

	@Test
	public void aBundleWithoutA2dModelIsRefusedNamingWhatItHolds() {
		Path file = TinyBundles.write(tmp.getRoot().toPath().resolve("lo.mnmodel"), Partner.NONE, 5, List.of("a"));
		ModelBundle bundle = ModelBundle.load(file);
		try {
			new Segmenter(bundle, Segmenter.ENSEMBLE, Device.cpu(), Segmenter.defaultWindow(bundle.info())).close();
			fail("a labeled-only bundle has no 2-D model to average");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("holds only: 3d") && e.getMessage().contains("labeled-only"));
		}
	}
}
