package org.mnseg.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes NIfTI-1 files for tests, independently of {@link NiftiIO}: header fields are laid out here from the
 * standard's offsets, so that a reader bug is not mirrored by the same bug in a shared writer.
 */
final class SyntheticNifti {
	short[] dim = { 3, 1, 1, 1, 1, 1, 1, 1 };
	int datatype = 16;
	float[] pixdim = { 1, 1, 1, 1, 0, 0, 0, 0 };
	float voxOffset = 352;
	float slope = 1, inter = 0;
	ByteOrder order = ByteOrder.LITTLE_ENDIAN;
	/** Values in file order (X fastest); encoded as {@link #datatype}. */
	double[] values = new double[1];
	/** A sheared, translated sform and a qform: bytes a writer must carry over untouched. */
	boolean withAffine = true;

	SyntheticNifti shape(int... d) {
		dim = new short[] { (short) d.length, 1, 1, 1, 1, 1, 1, 1 };
		for (int i = 0; i < d.length; i++) dim[i + 1] = (short) d[i];
		return this;
	}

	int voxels() {
		int n = 1;
		for (int i = 1; i <= dim[0]; i++) n *= dim[i];
		return n;
	}

	byte[] header() {
		ByteBuffer b = ByteBuffer.allocate(348).order(order);
		b.putInt(0, 348);
		for (int i = 0; i < 8; i++) b.putShort(40 + 2 * i, dim[i]);
		b.putShort(70, (short) datatype);
		b.putShort(72, (short) (8 * bytesPer(datatype)));
		for (int i = 0; i < 8; i++) b.putFloat(76 + 4 * i, pixdim[i]);
		b.putFloat(108, voxOffset);
		b.putFloat(112, slope);
		b.putFloat(116, inter);
		b.put(123, (byte) 10); // mm + seconds
		if (withAffine) {
			b.putShort(252, (short) 1);
			b.putShort(254, (short) 2);
			float[] q = { 0.1f, -0.2f, 0.3f, 12.5f, -40.25f, 7f };
			for (int i = 0; i < q.length; i++) b.putFloat(256 + 4 * i, q[i]);
			float[] srow = { -0.9f, 0.1f, 0f, 90f, 0.05f, 1.1f, 0.2f, -126f, 0f, -0.1f, 2.5f, -72f };
			for (int i = 0; i < srow.length; i++) b.putFloat(280 + 4 * i, srow[i]);
		}
		b.put(344, new byte[] { 'n', '+', '1', 0 });
		return b.array();
	}

	byte[] fileBytes() {
		ByteBuffer data = ByteBuffer.allocate(voxels() * bytesPer(datatype)).order(order);
		for (double v : values) {
			switch (datatype) {
				case 2, 256 -> data.put((byte) (long) v);
				case 4, 512 -> data.putShort((short) (long) v);
				case 8 -> data.putInt((int) (long) v);
				case 16 -> data.putFloat((float) v);
				case 64 -> data.putDouble(v);
				default -> data.put(new byte[bytesPer(datatype)]);
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(header());
		// bytes between header and data: the extension flag and, with a larger vox_offset, junk a reader must skip
		byte[] gap = new byte[(int) voxOffset - 348];
		for (int i = 4; i < gap.length; i++) gap[i] = (byte) 0x5a;
		out.writeBytes(gap);
		out.writeBytes(data.array());
		return out.toByteArray();
	}

	Path write(Path file) throws IOException {
		byte[] bytes = fileBytes();
		if (file.toString().endsWith(".gz")) {
			try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
				out.write(bytes);
			}
		}
		else Files.write(file, bytes);
		return file;
	}

	static int bytesPer(int datatype) {
		return switch (datatype) {
			case 2, 256 -> 1;
			case 4, 512 -> 2;
			case 8, 16 -> 4;
			case 64 -> 8;
			default -> 1;
		};
	}

	/** The raw (decompressed) bytes of a NIfTI file, for checks on what a writer produced. */
	static byte[] rawBytes(Path file) throws IOException {
		byte[] bytes = Files.readAllBytes(file);
		if (bytes.length > 1 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
			try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
				return in.readAllBytes();
			}
		}
		return bytes;
	}
}
