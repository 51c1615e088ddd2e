package org.mnseg.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.mnseg.io.NiftiIOTest.userError;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.testutil.SharedData;

public class VolumeIOTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void baseNameAndVolumeFileRecogniseEveryExtension() {
		String[][] cases = { { "a/b/case_01.nii.gz", "case_01" }, { "x.NII", "x" }, { "scan.v2.nii", "scan.v2" },
			{ "stack.tif", "stack" }, { "Stack.TIFF", "Stack" }, { "la.h5", "la" }, { "la.hdf5", "la" } };
		for (String[] c : cases) {
			assertEquals(c[0], c[1], VolumeIO.baseName(Paths.get(c[0])));
			assertTrue(c[0], VolumeIO.isVolumeFile(Paths.get(c[0])));
		}
		for (String other : new String[] { "notes.txt", "dataset.json", "image.gz", ".nii", "folder" }) {
			assertFalse(other, VolumeIO.isVolumeFile(Paths.get(other)));
			assertEquals(other, other, VolumeIO.baseName(Paths.get(other)));
		}
	}

	@Test
	public void dispatchesReadsAndWritesByExtension() {
		byte[] labels = { 0, 1, 2, 0, 1, 2, 2, 1 };
		LabelVolume l = LabelVolume.wrap(labels, new int[] { 2, 2, 2 }, new Geometry(new double[] { 1.5, 1.5, 3 }, null));
		Volume v = Volume.wrap(new float[] { 1, 2, 3, 4, 5, 6, 7, 8.5f }, new long[] { 2, 2, 2 }, l.geometry());
		for (String ext : new String[] { ".nii", ".nii.gz", ".tif", ".tiff" }) {
			Path lf = tmp.getRoot().toPath().resolve("labels" + ext), vf = tmp.getRoot().toPath().resolve("image" + ext);
			VolumeIO.writeLabels(l, lf);
			VolumeIO.writeImage(v, vf);
			assertArrayEquals(ext, labels, VolumeIO.readLabels(lf).data());
			assertArrayEquals(ext, v.data(), VolumeIO.readImage(vf).data(), 0);
			assertArrayEquals(ext, new double[] { 1.5, 1.5, 3 }, VolumeIO.readImage(vf).geometry().spacing(), 1e-12);
		}
	}

	@Test
	public void voxelCountComesFromTheHeaderAndMatchesTheVolume() throws Exception {
		Volume v = Volume.wrap(new float[5 * 3 * 4], new long[] { 5, 3, 4 }, new Geometry(new double[] { 1, 1, 1 }, null));
		Volume twoChannels = Volume.wrap(new float[5 * 3 * 4 * 2], new long[] { 5, 3, 4, 2 }, v.geometry());
		for (String ext : new String[] { ".nii", ".nii.gz", ".tif" }) {
			Path f = tmp.getRoot().toPath().resolve("count" + ext), g = tmp.getRoot().toPath().resolve("count2" + ext);
			VolumeIO.writeImage(v, f);
			VolumeIO.writeImage(twoChannels, g);
			assertEquals(ext, 60, VolumeIO.voxelCount(f));
			assertEquals(ext, 120, VolumeIO.voxelCount(g));
		}
		// the header alone: a NIfTI file cut right after its header still gives its size (reading it fails)
		Path whole = tmp.getRoot().toPath().resolve("count.nii"), cut = tmp.getRoot().toPath().resolve("cut.nii");
		java.nio.file.Files.write(cut, java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(whole), 352));
		assertEquals(60, VolumeIO.voxelCount(cut));
		assertTrue(userError(() -> VolumeIO.readImage(cut)).contains("truncated"));
	}

	@Test
	public void voxelCountOfHdf5() {
		Path h5 = SharedData.require("data/la-h5/UPT6DX9IQY9JAZ7HJKA7/mri_norm2.h5");
		assertEquals(VolumeIO.readImage(h5).data().length, VolumeIO.voxelCount(h5));
	}

	@Test
	public void readsHdf5ThroughTheFacade() {
		Path h5 = SharedData.require("data/la-h5/UPT6DX9IQY9JAZ7HJKA7/mri_norm2.h5");
		assertArrayEquals(VolumeIO.readImage(h5).shape(), VolumeIO.readLabels(h5).shape());
	}

	@Test
	public void userErrorsNameThePathAndTheChoices() {
		Path missing = tmp.getRoot().toPath().resolve("nothing.nii.gz");
		String m = userError(() -> VolumeIO.readImage(missing));
		assertTrue(m, m.contains(missing.toString()) && m.contains("not found"));

		Path unknown = tmp.getRoot().toPath().resolve("scan.mha");
		m = userError(() -> VolumeIO.readLabels(unknown));
		assertTrue(m, m.contains(unknown.toString()) && m.contains(".nii.gz") && m.contains(".h5"));

		LabelVolume l = LabelVolume.wrap(new byte[1], new int[] { 1, 1, 1 }, null);
		Path h5 = tmp.getRoot().toPath().resolve("out.h5");
		m = userError(() -> VolumeIO.writeLabels(l, h5));
		assertTrue(m, m.contains(h5.toString()) && m.contains(".tif") && !m.contains(".hdf5"));

		m = userError(() -> VolumeIO.readImage(tmp.getRoot().toPath().resolve("folder.nii").getParent()));
		assertTrue(m, m.contains("unknown file type") || m.contains("folder"));
	}
}
