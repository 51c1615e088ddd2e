package org.mnseg.imagej;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.mnseg.io.NiftiIOTest.userError;

import java.nio.file.Files;
import java.nio.file.Path;

import org.mnseg.io.VolumeIO;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.Opener;
import ij.measure.Calibration;

public class TiffIOTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void labelStackRoundTripKeepsValuesAndCalibration() throws Exception {
		byte[] labels = new byte[5 * 4 * 3];
		for (int i = 0; i < labels.length; i++) labels[i] = (byte) ((i * 7) % 4);
		labels[17] = (byte) 250;
		LabelVolume written = LabelVolume.wrap(labels, new int[] { 5, 4, 3 }, new Geometry(new double[] { 0.3, 0.4, 1.5 }, null));
		Path file = tmp.getRoot().toPath().resolve("labels.tif");
		VolumeIO.writeLabels(written, file);

		ImagePlus raw = new Opener().openImage(file.toString());
		assertEquals(8, raw.getBitDepth());
		assertEquals(3, raw.getNSlices());
		assertEquals("mm", raw.getCalibration().getUnit());

		LabelVolume back = TiffIO.readLabels(file);
		assertArrayEquals(new int[] { 5, 4, 3 }, back.shape());
		assertArrayEquals(labels, back.data());
		// TIFF stores pixel size as a resolution fraction; TiffIO rounds away that noise
		assertArrayEquals(new double[] { 0.3, 0.4, 1.5 }, back.geometry().spacing(), 1e-12);
		try (var files = Files.list(tmp.getRoot().toPath())) {
			assertEquals("no temporary file left", 1, files.count());
		}
	}

	@Test
	public void multiChannelImageRoundTripKeepsChannelsLast() {
		float[] values = new float[4 * 3 * 2 * 2];
		for (int i = 0; i < values.length; i++) values[i] = (float) Math.sin(i) * 100;
		Volume image = Volume.wrap(values, new long[] { 4, 3, 2, 2 }, new Geometry(new double[] { 1, 1, 2 }, null));
		Path file = tmp.getRoot().toPath().resolve("two-channels.tiff");
		VolumeIO.writeImage(image, file);
		Volume back = TiffIO.readImage(file);
		assertEquals(2, back.channels());
		assertArrayEquals(new int[] { 4, 3, 2 }, back.shape());
		assertArrayEquals(values, back.data(), 0);
		assertArrayEquals(new double[] { 1, 1, 2 }, back.geometry().spacing(), 1e-12);
	}

	@Test
	public void singleSliceVolumeIsWrittenToo() {
		LabelVolume one = LabelVolume.wrap(new byte[] { 0, 1, 2, 1, 0, 3 }, new int[] { 3, 2, 1 }, null);
		Path file = tmp.getRoot().toPath().resolve("one.tif");
		VolumeIO.writeLabels(one, file);
		assertArrayEquals(one.data(), TiffIO.readLabels(file).data());
	}

	@Test
	public void converterMapsHyperstackPlanesAndCalibration() {
		int w = 3, h = 2, channels = 2, slices = 4;
		ImageStack stack = new ImageStack(w, h);
		for (int z = 0; z < slices; z++)
			for (int c = 0; c < channels; c++) {
				short[] plane = new short[w * h];
				for (int i = 0; i < plane.length; i++) plane[i] = (short) (1000 * c + 100 * z + i);
				stack.addSlice(null, plane);
			}
		ImagePlus imp = new ImagePlus("hyper", stack);
		imp.setDimensions(channels, slices, 1);
		Calibration cal = new Calibration();
		cal.pixelWidth = 500;
		cal.pixelHeight = 250;
		cal.pixelDepth = 2000;
		cal.setUnit("µm");
		imp.setCalibration(cal);

		Volume v = ImagePlusConverter.toVolume(imp);
		assertEquals(channels, v.channels());
		assertArrayEquals(new int[] { w, h, slices }, v.shape());
		assertArrayEquals(new double[] { 0.5, 0.25, 2 }, v.geometry().spacing(), 1e-12);
		for (int c = 0; c < channels; c++)
			for (int z = 0; z < slices; z++)
				for (int i = 0; i < w * h; i++)
					assertEquals(1000 * c + 100 * z + i, v.data()[c * w * h * slices + z * w * h + i], 0);

		ImagePlus again = ImagePlusConverter.fromVolume(v, "again");
		assertEquals(channels, again.getNChannels());
		assertEquals(slices, again.getNSlices());
		assertEquals(1 * 1000 + 100 * 2 + 5, again.getStack().getProcessor(again.getStackIndex(2, 3, 1)).getf(5), 0);
		assertEquals(0.5, again.getCalibration().pixelWidth, 1e-12);
		assertEquals("mm", again.getCalibration().getUnit());
	}

	@Test
	public void converterUsesCalibratedSigned16BitValuesAndSplitsRgb() {
		ImagePlus signed = new ImagePlus("signed", new ij.process.ShortProcessor(2, 1));
		signed.getProcessor().set(0, 32768 - 1000);
		signed.getProcessor().set(1, 32768 + 7);
		Calibration cal = signed.getCalibration();
		cal.setSigned16BitCalibration();
		assertArrayEquals(new float[] { -1000, 7 }, ImagePlusConverter.toVolume(signed).data(), 0);

		ij.process.ColorProcessor rgb = new ij.process.ColorProcessor(2, 1);
		rgb.set(0, 0x102030);
		rgb.set(1, 0xff0001);
		Volume v = ImagePlusConverter.toVolume(new ImagePlus("rgb", rgb));
		assertEquals(3, v.channels());
		assertArrayEquals(new float[] { 0x10, 0xff, 0x20, 0, 0x30, 1 }, v.data(), 0);
	}

	@Test
	public void timeSeriesAndBadFilesAreUserErrors() throws Exception {
		ImageStack stack = new ImageStack(2, 2);
		for (int i = 0; i < 4; i++) stack.addSlice(null, new byte[4]);
		ImagePlus movie = new ImagePlus("movie", stack);
		movie.setDimensions(1, 2, 2);
		assertTrue(userError(() -> ImagePlusConverter.toVolume(movie)).contains("time points"));

		Path bogus = tmp.getRoot().toPath().resolve("bogus.tif");
		Files.writeString(bogus, "not a tiff at all");
		assertTrue(userError(() -> TiffIO.readImage(bogus)).contains(bogus.toString()));

		float[] notLabels = { 0, 1.5f, -3, 0 };
		Path floats = tmp.getRoot().toPath().resolve("floats.tif");
		VolumeIO.writeImage(Volume.wrap(notLabels, new long[] { 2, 2, 1 }, null), floats);
		String m = userError(() -> TiffIO.readLabels(floats));
		assertTrue(m, m.contains(floats.toString()) && m.contains("1.5") && m.contains("not a whole number"));
	}
}
