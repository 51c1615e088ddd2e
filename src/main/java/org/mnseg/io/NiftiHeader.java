package org.mnseg.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A NIfTI-1 header (348 bytes) in the byte order of its file, with named access to the fields this project reads
 * or rewrites. Everything else (orientation, units, description) is carried through untouched.
 */
final class NiftiHeader {
	static final int SIZE = 348;
	/** Header plus the 4-byte extension flag: where voxel data starts in the files we write. */
	static final int DATA_OFFSET = 352;

	private static final int INTENT_P1 = 56, DIM = 40, DATATYPE = 70, BITPIX = 72, PIXDIM = 76, VOX_OFFSET = 108, SCL_SLOPE = 112,
		SCL_INTER = 116, XYZT_UNITS = 123, CAL_MAX = 124, CAL_MIN = 128, QFORM_CODE = 252, SFORM_CODE = 254,
		MAGIC = 344;
	private static final int NIFTI2_SIZE = 540;
	private static final short UNITS_MM = 2;
	private static final short XFORM_ALIGNED_ANAT = 2;

	private final ByteBuffer buffer;

	private NiftiHeader(ByteBuffer buffer) {
		this.buffer = buffer;
	}

	/**
	 * Parses 348 header bytes; the byte order is the one in which sizeof_hdr reads 348.
	 *
	 * @throws IllegalArgumentException with a user-facing reason when the bytes are no NIfTI-1 header
	 */
	static NiftiHeader parse(byte[] bytes) {
		if (bytes.length < SIZE) throw new IllegalArgumentException("the file is shorter than a NIfTI-1 header (" + bytes.length + " bytes)");
		ByteBuffer b = ByteBuffer.wrap(bytes.clone(), 0, SIZE).slice();
		for (ByteOrder order : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN }) {
			int size = b.order(order).getInt(0);
			if (size == SIZE) return new NiftiHeader(b);
			if (size == NIFTI2_SIZE) throw new IllegalArgumentException("it is a NIfTI-2 file; save it as NIfTI-1 (e.g. with nibabel or Fiji)");
		}
		throw new IllegalArgumentException("it has no NIfTI-1 header (sizeof_hdr is not 348 in either byte order)");
	}

	/**
	 * A minimal header for a volume that did not come from NIfTI: the given dims and spacing in mm, and an axis-aligned
	 * qform with identity rotation, since nothing else is known about the orientation.
	 */
	static NiftiHeader minimal(int[] dims, double[] spacing) {
		NiftiHeader h = new NiftiHeader(ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN));
		h.buffer.putInt(0, SIZE);
		h.buffer.put(38, (byte) 'r'); // "regular", as Analyze readers expect
		h.buffer.putFloat(PIXDIM, 1f); // qfac
		for (int i = 0; i < 3; i++) h.buffer.putFloat(PIXDIM + 4 * (i + 1), (float) spacing[i]);
		for (int i = 4; i < 8; i++) h.buffer.putFloat(PIXDIM + 4 * i, 1f);
		h.buffer.put(XYZT_UNITS, (byte) UNITS_MM);
		h.buffer.putShort(QFORM_CODE, XFORM_ALIGNED_ANAT);
		h.buffer.putShort(SFORM_CODE, (short) 0);
		h.setDims(dims);
		return h;
	}

	/** A copy that can be changed without touching this header. */
	NiftiHeader copy() {
		ByteBuffer b = ByteBuffer.allocate(SIZE).order(buffer.order());
		b.put(0, bytes());
		return new NiftiHeader(b);
	}

	ByteOrder order() {
		return buffer.order();
	}

	byte[] bytes() {
		byte[] out = new byte[SIZE];
		buffer.get(0, out);
		return out;
	}

	/** dim[0..7] as stored. */
	int[] rawDims() {
		int[] d = new int[8];
		for (int i = 0; i < 8; i++) d[i] = buffer.getShort(DIM + 2 * i);
		return d;
	}

	/** Sets dim[0] to the number of axes and dim[1..] to {@code dims}, the unused ones to 1. */
	void setDims(int[] dims) {
		buffer.putShort(DIM, (short) dims.length);
		for (int i = 1; i < 8; i++) buffer.putShort(DIM + 2 * i, (short) (i <= dims.length ? dims[i - 1] : 1));
	}

	int datatype() {
		return buffer.getShort(DATATYPE);
	}

	void setDatatype(int code, int bitsPerVoxel) {
		buffer.putShort(DATATYPE, (short) code);
		buffer.putShort(BITPIX, (short) bitsPerVoxel);
	}

	/** pixdim[1..3]: voxel size along X, Y, Z in the file's spatial unit (mm in all our data). */
	double[] spacing() {
		double[] s = new double[3];
		for (int i = 0; i < 3; i++) {
			double v = Math.abs(buffer.getFloat(PIXDIM + 4 * (i + 1)));
			// a missing spacing (0 or NaN) is taken as 1 rather than producing an unusable geometry
			s[i] = v > 0 && Double.isFinite(v) ? v : 1;
		}
		return s;
	}

	float voxOffset() {
		return buffer.getFloat(VOX_OFFSET);
	}

	void setVoxOffset(float offset) {
		buffer.putFloat(VOX_OFFSET, offset);
	}

	float sclSlope() {
		return buffer.getFloat(SCL_SLOPE);
	}

	float sclInter() {
		return buffer.getFloat(SCL_INTER);
	}

	void setScaling(float slope, float inter) {
		buffer.putFloat(SCL_SLOPE, slope);
		buffer.putFloat(SCL_INTER, inter);
	}

	void setCalibrationRange(float min, float max) {
		buffer.putFloat(CAL_MIN, min);
		buffer.putFloat(CAL_MAX, max);
	}

	/** Clears intent_p1..3 and intent_code: a label or probability map has none of the source's intent. */
	void clearIntent() {
		for (int off = INTENT_P1; off < DATATYPE; off += 2) buffer.putShort(off, (short) 0);
	}

	/** Marks the header as a single-file NIfTI-1 (.nii), whatever it was read from. */
	void setSingleFileMagic() {
		buffer.put(MAGIC, "n+1\0".getBytes(StandardCharsets.US_ASCII));
	}
}
