package org.mnseg.io;

import org.mnseg.data.LabelConversion;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.testutil.SharedData;
import org.mnseg.util.UserError;

/**
 * The HDF5 axis mapping is checked against an independent copy of the same case: la2x was made from these files by
 * 2x2x2 block means (labels: at least half of the block), so downsampling what we read must reproduce it.
 */
public class Hdf5IOTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void laVolumesMatchTheirDownsampledNiftiCopies() {
		Path h5Root = SharedData.require("data/la-h5");
		Path la2x = SharedData.require("data/la2x");
		for (String id : new String[] { "8M99G0JLAXG9GLPV0O8G", "UPT6DX9IQY9JAZ7HJKA7" }) {
			Path h5 = h5Root.resolve(id).resolve("mri_norm2.h5");
			Volume image = Hdf5IO.readImage(h5);
			LabelVolume label = Hdf5IO.readLabels(h5);
			assertArrayEquals(image.shape(), label.shape());
			assertArrayEquals(new double[] { 0.625, 0.625, 0.625 }, image.geometry().spacing(), 0);

			Volume expectedImage = NiftiIO.read3D(la2x.resolve("imagesTr/" + id + ".nii.gz"));
			LabelVolume expectedLabel = NiftiIO.readLabels(la2x.resolve("labelsTr/" + id + ".nii.gz"));
			int[] half = expectedImage.shape();
			for (int a = 0; a < 3; a++) assertEquals(id + " axis " + a, image.shape()[a] / 2, half[a]);

			float[] means = new float[half[0] * half[1] * half[2]];
			int[] votes = new int[means.length];
			blockSums(image, label, half, means, votes);
			float[] want = expectedImage.data();
			int labelDifferences = 0;
			for (int i = 0; i < means.length; i++) {
				assertEquals(id + " block " + LabelConversion.voxelText(i, half), want[i], means[i] / 8, 1e-4 * (1 + Math.abs(want[i])));
				if ((votes[i] >= 4 ? 1 : 0) != expectedLabel.label(i)) labelDifferences++;
			}
			assertEquals(id + ": label blocks differing from la2x", 0, labelDifferences);
			assertTrue(id + " has atrium voxels", expectedLabel.maxLabel() == 1);
		}
	}

	/** Sums each 2x2x2 block of the image and counts its atrium voxels; odd trailing planes are cut off. */
	private static void blockSums(Volume image, LabelVolume label, int[] half, float[] sums, int[] votes) {
		int[] s = image.shape();
		float[] v = image.data();
		for (int z = 0; z < 2 * half[2]; z++)
			for (int y = 0; y < 2 * half[1]; y++)
				for (int x = 0; x < 2 * half[0]; x++) {
					int src = x + s[0] * (y + s[1] * z);
					int dst = x / 2 + half[0] * (y / 2 + half[1] * (z / 2));
					sums[dst] += v[src];
					votes[dst] += label.label(src);
				}
	}

	@Test
	public void missingDatasetNamesTheOnesPresent() {
		Path h5 = SharedData.require("data/la-h5/8M99G0JLAXG9GLPV0O8G/mri_norm2.h5");
		try {
			Hdf5IO.readDataset(h5, "volume");
			fail("expected a UserError");
		}
		catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("'volume'") && e.getMessage().contains("image, label"));
		}
	}

	@Test
	public void notAnHdf5FileIsAUserError() throws Exception {
		Path bogus = tmp.newFile("bogus.h5").toPath();
		Files.writeString(bogus, "this is not HDF5");
		try {
			Hdf5IO.readImage(bogus);
			fail("expected a UserError");
		}
		catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains(bogus.toString()));
		}
	}
}
