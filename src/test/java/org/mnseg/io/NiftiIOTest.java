package org.mnseg.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.util.UserError;

public class NiftiIOTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** Per datatype: values that exercise its whole range (sign, the unsigned upper half, fractions). */
	private static final Object[][] CASES = {
		{ 2, new double[] { 0, 1, 127, 128, 200, 255 } },
		{ 256, new double[] { -128, -1, 0, 1, 100, 127 } },
		{ 4, new double[] { -32768, -1000, -1, 0, 1234, 32767 } },
		{ 512, new double[] { 0, 1, 32767, 32768, 50000, 65535 } },
		{ 8, new double[] { -2000000, -1, 0, 7, 65536, 16000000 } },
		{ 16, new double[] { -3.5, -1e-3, 0, 0.25, 1e6, 42.125 } },
		{ 64, new double[] { -1e5, -0.5, 0, 1.0 / 3, 2.75, 1e9 } },
	};

	@Test
	public void readsEveryDatatypeInBothByteOrders() throws IOException {
		for (ByteOrder order : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN }) {
			for (Object[] c : CASES) {
				SyntheticNifti n = new SyntheticNifti().shape(3, 2, 1);
				n.order = order;
				n.datatype = (int) c[0];
				n.values = (double[]) c[1];
				n.pixdim = new float[] { 1, 0.5f, 0.75f, 2.5f, 1, 0, 0, 0 };
				Path file = n.write(tmp.getRoot().toPath().resolve("t" + n.datatype + order + ".nii"));
				Volume v = NiftiIO.read(file);
				String what = "datatype " + n.datatype + " " + order;
				assertArrayEquals(what, new int[] { 3, 2, 1 }, v.shape());
				assertArrayEquals(what, new double[] { 0.5, 0.75, 2.5 }, v.geometry().spacing(), 0);
				for (int i = 0; i < n.values.length; i++) assertEquals(what + " voxel " + i, (float) n.values[i], v.data()[i], 0);
				assertArrayEquals(what + ": header kept", n.header(), v.geometry().niftiHeader());
			}
		}
	}

	@Test
	public void appliesSclSlopeAndInterUnlessIdentityOrZeroSlope() throws IOException {
		double[] raw = { -100, 0, 1, 300 };
		float[][] slopeInter = { { 0.5f, -10f }, { 0, 5f }, { 1, 0 }, { 1, 5f }, { 2f, 0 } };
		for (float[] si : slopeInter) {
			SyntheticNifti n = new SyntheticNifti().shape(4, 1, 1);
			n.order = ByteOrder.BIG_ENDIAN;
			n.datatype = 4;
			n.values = raw;
			n.slope = si[0];
			n.inter = si[1];
			Volume v = NiftiIO.read(n.write(tmp.newFile().toPath()));
			boolean scaled = si[0] != 0;
			for (int i = 0; i < raw.length; i++)
				assertEquals(Arrays.toString(si), scaled ? raw[i] * si[0] + si[1] : raw[i], v.data()[i], 1e-6);
		}
	}

	@Test
	public void honoursVoxOffsetAndCompressionFromContent() throws IOException {
		SyntheticNifti n = new SyntheticNifti().shape(2, 2, 2);
		n.voxOffset = 480; // an extension's worth of junk between header and voxels
		n.values = new double[] { 1, 2, 3, 4, 5, 6, 7, 8 };
		// compressed content under a plain .nii name still reads
		Path misnamed = tmp.getRoot().toPath().resolve("compressed.nii");
		Files.write(misnamed, gzip(n.fileBytes()));
		for (Path file : new Path[] { n.write(tmp.getRoot().toPath().resolve("offset.nii.gz")), misnamed }) {
			Volume v = NiftiIO.read(file);
			assertArrayEquals(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, v.data(), 0);
		}
	}

	@Test
	public void labelRoundTripKeepsTheSourceGridAndOrientation() throws IOException {
		for (ByteOrder order : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN }) {
			SyntheticNifti n = new SyntheticNifti().shape(4, 3, 2);
			n.order = order;
			n.datatype = 4;
			n.slope = 2;
			n.values = new double[24];
			n.pixdim = new float[] { -1, 0.9f, 1.1f, 2.5f, 1, 0, 0, 0 };
			Path source = n.write(tmp.getRoot().toPath().resolve("source" + order + ".nii.gz"));
			Volume image = NiftiIO.read(source);

			byte[] labels = new byte[24];
			for (int i = 0; i < labels.length; i++) labels[i] = (byte) (i % 3 == 0 ? 0 : i % 5 == 0 ? 200 : 1);
			LabelVolume written = LabelVolume.wrap(labels, image.shape(), image.geometry());
			for (String name : new String[] { "out.nii", "out.nii.gz" }) {
				Path out = tmp.getRoot().toPath().resolve(order + name);
				NiftiIO.writeLabels(written, out);
				byte[] stored = Files.readAllBytes(out);
				assertEquals(name + " compressed by name", name.endsWith(".gz"), (stored[0] & 0xff) == 0x1f && (stored[1] & 0xff) == 0x8b);

				byte[] raw = SyntheticNifti.rawBytes(out);
				assertEquals(352 + 24, raw.length);
				byte[] src = n.header();
				assertArrayEquals("pixdim (qfac, spacing)", Arrays.copyOfRange(src, 76, 108), Arrays.copyOfRange(raw, 76, 108));
				assertArrayEquals("qform/sform block", Arrays.copyOfRange(src, 252, 344), Arrays.copyOfRange(raw, 252, 344));
				ByteBuffer h = ByteBuffer.wrap(raw).order(order);
				assertEquals(348, h.getInt(0));
				assertEquals(2, h.getShort(70));
				assertEquals(8, h.getShort(72));
				assertEquals(352f, h.getFloat(108), 0);
				assertEquals(1f, h.getFloat(112), 0);
				assertEquals(0f, h.getFloat(116), 0);
				assertEquals(200f, h.getFloat(124), 0); // cal_max
				assertEquals(0f, h.getFloat(128), 0); // cal_min
				assertEquals("no extension", 0, h.getInt(348));

				LabelVolume back = NiftiIO.readLabels(out);
				assertArrayEquals(labels, back.data());
				assertArrayEquals(image.geometry().spacing(), back.geometry().spacing(), 0);
			}
		}
	}

	@Test
	public void imageRoundTripWritesFloat32WithChannelsAsFourthAxis() throws IOException {
		float[] values = new float[2 * 3 * 2 * 2];
		for (int i = 0; i < values.length; i++) values[i] = i * 0.37f - 2;
		Volume probabilities = Volume.wrap(values, new long[] { 2, 3, 2, 2 }, new Geometry(new double[] { 0.5, 0.6, 0.7 }, null));
		Path out = tmp.getRoot().toPath().resolve("sub/dir/prob.nii.gz");
		NiftiIO.writeImage(probabilities, out);
		ByteBuffer h = ByteBuffer.wrap(SyntheticNifti.rawBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(16, h.getShort(70));
		assertEquals(4, h.getShort(40));
		Volume back = NiftiIO.read(out);
		assertEquals(2, back.channels());
		assertArrayEquals(values, back.data(), 0);
		assertArrayEquals(new double[] { 0.5, 0.6, 0.7 }, back.geometry().spacing(), 1e-6);
		try (var files = Files.list(out.getParent())) {
			assertEquals("no temporary file left", 1, files.count());
		}
	}

	@Test
	public void labelsOnAnotherGridGetAMinimalHeaderWithTheirSpacing() throws IOException {
		SyntheticNifti n = new SyntheticNifti().shape(4, 3, 2);
		n.values = new double[24];
		Volume image = NiftiIO.read(n.write(tmp.newFile("src.nii").toPath()));
		// same geometry (with header) but a cropped shape: the source affine must not be reused
		LabelVolume cropped = LabelVolume.wrap(new byte[] { 0, 1, 2, 3 }, new int[] { 2, 2, 1 },
			new Geometry(new double[] { 0.8, 0.9, 3 }, image.geometry().niftiHeader()));
		Path out = tmp.getRoot().toPath().resolve("cropped.nii");
		NiftiIO.writeLabels(cropped, out);
		byte[] raw = Files.readAllBytes(out);
		ByteBuffer h = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(0, h.getShort(254)); // no sform copied
		LabelVolume back = NiftiIO.readLabels(out);
		assertArrayEquals(new int[] { 2, 2, 1 }, back.shape());
		assertArrayEquals(new double[] { 0.8, 0.9, 3 }, back.geometry().spacing(), 1e-6);
		assertArrayEquals(new byte[] { 0, 1, 2, 3 }, back.data());
	}

	@Test
	public void fourDimensionalFileIsRejectedWhereThreeAreExpected() throws IOException {
		SyntheticNifti n = new SyntheticNifti().shape(3, 3, 3, 2);
		n.values = new double[54];
		Path file = n.write(tmp.newFile("fourd.nii").toPath());
		for (Runnable read : new Runnable[] { () -> NiftiIO.read3D(file), () -> NiftiIO.readLabels(file) }) {
			String m = userError(read);
			assertTrue(m, m.contains(file.toString()) && m.contains("3 x 3 x 3 x 2"));
		}
		assertEquals("as channels where allowed", 2, NiftiIO.read(file).channels());

		SyntheticNifti single = new SyntheticNifti().shape(3, 3, 3, 1);
		single.values = new double[27];
		Volume v = NiftiIO.read3D(single.write(tmp.newFile("fourd1.nii").toPath()));
		assertArrayEquals(new int[] { 3, 3, 3 }, v.shape());
		assertEquals(1, v.channels());
	}

	@Test
	public void unsupportedDatatypeNamesCodeAndSupportedTypes() throws IOException {
		SyntheticNifti n = new SyntheticNifti().shape(2, 1, 1);
		n.datatype = 128; // RGB24
		n.values = new double[2];
		Path file = n.write(tmp.newFile("rgb.nii").toPath());
		String m = userError(() -> NiftiIO.read(file));
		assertTrue(m, m.contains("128") && m.contains("float32 (16)") && m.contains("uint16 (512)") && m.contains(file.toString()));
	}

	@Test
	public void brokenFilesAreUserErrorsNamingThePath() throws IOException {
		SyntheticNifti n = new SyntheticNifti().shape(10, 10, 10);
		n.values = new double[1000];
		byte[] full = n.fileBytes();
		Path truncated = tmp.newFile("truncated.nii").toPath();
		Files.write(truncated, Arrays.copyOf(full, 352 + 100));
		Path notNifti = tmp.newFile("text.nii").toPath();
		Files.writeString(notNifti, "hello");
		Path missing = tmp.getRoot().toPath().resolve("missing.nii.gz");
		for (Path p : new Path[] { truncated, notNifti, missing }) {
			String m = userError(() -> NiftiIO.read(p));
			assertTrue(m, m.contains(p.toString()));
		}
		assertTrue(userError(() -> NiftiIO.read(truncated)).contains("truncated"));
		assertTrue(userError(() -> NiftiIO.read(missing)).contains("not found"));
	}

	@Test
	public void floatLabelsAreRoundedAndImpossibleValuesRejected() throws IOException {
		SyntheticNifti n = new SyntheticNifti().shape(4, 1, 1);
		n.values = new double[] { 0.0, 0.9999, 2.00001, 1 };
		assertArrayEquals(new byte[] { 0, 1, 2, 1 }, NiftiIO.readLabels(n.write(tmp.newFile("f.nii").toPath())).data());
		for (double bad : new double[] { -1, Double.NaN, 300, 0.5, 1.4 }) {
			n.values = new double[] { 0, 1, bad, 0 };
			Path file = n.write(tmp.newFile().toPath());
			String m = userError(() -> NiftiIO.readLabels(file));
			assertTrue(m, m.contains(file.toString()) && m.contains("(2, 0, 0)"));
		}
	}

	public static String userError(Runnable r) {
		try {
			r.run();
		}
		catch (UserError e) {
			assertNotNull(e.getMessage());
			assertFalse(e.getMessage().isBlank());
			return e.getMessage();
		}
		fail("expected a UserError");
		return null;
	}

	private static byte[] gzip(byte[] bytes) throws IOException {
		var buffer = new java.io.ByteArrayOutputStream();
		try (var out = new java.util.zip.GZIPOutputStream(buffer)) {
			out.write(bytes);
		}
		return buffer.toByteArray();
	}
}
