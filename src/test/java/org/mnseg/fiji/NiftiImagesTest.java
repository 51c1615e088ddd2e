package org.mnseg.fiji;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.Volume;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.io.VolumeIO;
import org.mnseg.util.UserError;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ImageProcessor;

/**
 * NIfTI files as ImageJ images: opened voxel for voxel as the core reads them, with their calibration, and saved back
 * (a label image from M&amp;N Segment included) with the source's header, so results lie on the source's grid and
 * orientation in other viewers.
 */
public class NiftiImagesTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** Bytes 252 to 344 of a NIfTI-1 header: qform_code, sform_code, the quaternion, its offsets and the sform rows. */
	private static final int ORIENTATION_FROM = 252, ORIENTATION_TO = 344, PIXDIM = 76;

	@Test
	public void openedImageHoldsTheCoresVoxelsAndCalibration() throws Exception {
		Path file = orientedFixture();
		Volume core = VolumeIO.readImage(file);
		ImagePlus imp = NiftiImages.open(file);
		assertEquals("format1-image.nii.gz", imp.getTitle());
		assertEquals(ImagePlus.GRAY32, imp.getType());
		int[] s = core.shape();
		assertEquals(s[0], imp.getWidth());
		assertEquals(s[1], imp.getHeight());
		assertEquals(s[2], imp.getNSlices());
		// x fastest, then y, then slices: the file's i, j, k as ImageJ's x, y, z, no flip
		float[] data = core.data();
		for (int z = 0; z < s[2]; z++) {
			ImageProcessor ip = imp.getStack().getProcessor(z + 1);
			for (int y = 0; y < s[1]; y++)
				for (int x = 0; x < s[0]; x++)
					assertEquals(data[x + s[0] * (y + s[1] * z)], ip.getf(x, y), 0f);
		}
		assertEquals(0.7, imp.getCalibration().pixelWidth, 1e-6);
		assertEquals(0.8, imp.getCalibration().pixelHeight, 1e-6);
		assertEquals(1.5, imp.getCalibration().pixelDepth, 1e-6);
		assertEquals("mm", imp.getCalibration().getUnit());

		// a label map (uint8 class indices) opens as an 8-bit image with the same values
		Path labels = PlainImageJTest.FIXTURES.resolve("format1-labels.nii.gz");
		ImagePlus l = NiftiImages.open(labels);
		assertEquals(ImagePlus.GRAY8, l.getType());
		assertArrayEquals(VolumeIO.readLabels(labels).data(), ImagePlusConverter.toLabels(l).data());
	}

	@Test
	public void segmentedLabelsAreSavedWithTheSourceHeader() throws Exception {
		Path file = orientedFixture();
		ImagePlus image = NiftiImages.open(file);
		SegmentSettings settings = new SegmentSettings(PlainImageJTest.FIXTURES.resolve("format1.mnmodel"), SegmentSettings.CURRENT_IMAGE, null, null,
			false, false, false);
		ImagePlus labels = SegmentRunner.run(settings, image, () -> false).labels();

		Path out = tmp.getRoot().toPath().resolve("format1-labels.nii.gz");
		NiftiImages.Saved saved = NiftiImages.save(labels, out);
		assertTrue(saved.labels());
		assertTrue(saved.keptHeader());
		assertArrayEquals(VolumeIO.readLabels(PlainImageJTest.FIXTURES.resolve("format1-labels.nii.gz")).data(), VolumeIO.readLabels(out).data());
		assertSameGrid(header(file), header(out));
		assertEquals("uint8", 2, ByteBuffer.wrap(header(out)).order(ByteOrder.LITTLE_ENDIAN).getShort(70));

		// saved as TIFF in between (as Segment's output folder does) and reopened, the label image still knows its header
		Path tiff = tmp.getRoot().toPath().resolve("labels.tif");
		assertTrue(new FileSaver(labels).saveAsTiffStack(tiff.toString()));
		Path again = tmp.getRoot().toPath().resolve("again.nii");
		assertTrue(NiftiImages.save(IJ.openImage(tiff.toString()), again).keptHeader());
		assertSameGrid(header(file), header(again));
	}

	@Test
	public void imagesRoundTripAndAResizedImageGetsAPlainHeader() throws Exception {
		Path file = orientedFixture();
		ImagePlus image = NiftiImages.open(file);
		Path out = tmp.getRoot().toPath().resolve("copy.nii.gz");
		NiftiImages.Saved saved = NiftiImages.save(image, out);
		assertFalse(saved.labels());
		assertTrue(saved.keptHeader());
		assertArrayEquals(VolumeIO.readImage(file).data(), VolumeIO.readImage(out).data(), 0f);
		assertSameGrid(header(file), header(out));

		// cropped, the source's affine would describe another grid: a plain header with the calibration's spacing
		Path small = tmp.getRoot().toPath().resolve("cropped.nii.gz");
		image.setRoi(2, 3, 10, 8);
		ImagePlus cropped = image.crop("stack");
		assertNotNull(ImagePlusConverter.niftiHeader(cropped));
		assertFalse(NiftiImages.save(cropped, small).keptHeader());
		assertArrayEquals(new double[] { 0.7, 0.8, 1.5 }, VolumeIO.readImage(small).geometry().spacing(), 1e-6);
	}

	@Test
	public void otherFileNamesAreRefusedWithAMessage() throws Exception {
		ImagePlus image = NiftiImages.open(orientedFixture());
		for (String name : new String[] { "labels.tif", "labels.nii.zip" })
			try {
				NiftiImages.save(image, tmp.getRoot().toPath().resolve(name));
				fail(name);
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains(".nii.gz"));
			}
		try {
			NiftiImages.open(PlainImageJTest.FIXTURES.resolve("format1.mnmodel"));
			fail();
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("not a NIfTI file"));
		}
	}

	/** The fixture image with spacing 0.7 x 0.8 x 1.5 mm and an oblique qform and sform, as scanners write them. */
	private Path orientedFixture() throws Exception {
		byte[] bytes;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(PlainImageJTest.FIXTURES.resolve("format1-image.nii.gz")))) {
			bytes = in.readAllBytes();
		}
		ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(348, h.getInt(0));
		float[] spacing = { 0.7f, 0.8f, 1.5f };
		for (int i = 0; i < 3; i++) h.putFloat(PIXDIM + 4 * (i + 1), spacing[i]);
		h.putShort(252, (short) 1); // qform: scanner coordinates
		h.putShort(254, (short) 2); // sform: aligned to an anatomy
		// a rotation of 30 degrees about z: quaternion (cos 15, 0, 0, sin 15), then offsets
		double half = Math.toRadians(15);
		h.putFloat(256, 0f).putFloat(260, 0f).putFloat(264, (float) Math.sin(half));
		h.putFloat(268, -12.5f).putFloat(272, 30.25f).putFloat(276, -7f);
		double c = Math.cos(Math.toRadians(30)), s = Math.sin(Math.toRadians(30));
		float[][] rows = { { (float) (c * 0.7), (float) (-s * 0.8), 0, -12.5f }, { (float) (s * 0.7), (float) (c * 0.8), 0, 30.25f }, { 0, 0, 1.5f, -7f } };
		for (int r = 0; r < 3; r++)
			for (int k = 0; k < 4; k++) h.putFloat(280 + 16 * r + 4 * k, rows[r][k]);
		Path file = tmp.getRoot().toPath().resolve("format1-image.nii.gz");
		ByteArrayOutputStream gz = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
			out.write(bytes);
		}
		Files.write(file, gz.toByteArray());
		return file;
	}

	private static byte[] header(Path file) throws Exception {
		try (InputStream raw = Files.newInputStream(file); InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
			return in.readNBytes(348);
		}
	}

	/** Same spacing, qform and sform. */
	private static void assertSameGrid(byte[] expected, byte[] actual) {
		assertArrayEquals("pixdim", Arrays.copyOfRange(expected, PIXDIM, PIXDIM + 16), Arrays.copyOfRange(actual, PIXDIM, PIXDIM + 16));
		assertArrayEquals("qform and sform", Arrays.copyOfRange(expected, ORIENTATION_FROM, ORIENTATION_TO),
			Arrays.copyOfRange(actual, ORIENTATION_FROM, ORIENTATION_TO));
	}
}
