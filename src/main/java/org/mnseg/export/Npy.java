package org.mnseg.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * NumPy's {@code .npy} format, version 1.0, for float32 arrays in C order: the magic {@code \x93NUMPY}, the version,
 * a little-endian 2-byte header length, a Python-literal header dict padded with spaces and ended by a newline so
 * that the data starts on a 64-byte boundary, then the values little-endian.
 */
public final class Npy {
	private Npy() {}

	public static byte[] float32(long[] shape, float[] values) {
		long n = 1;
		for (long d : shape) n *= d;
		if (n != values.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
		String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
		if (shape.length == 1) dims += ",";
		StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }");
		int preamble = 6 + 2 + 2; // magic, version, header length
		while ((preamble + header.length() + 1) % 64 != 0) header.append(' ');
		header.append('\n');
		byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
		ByteBuffer b = ByteBuffer.allocate(preamble + h.length + values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
		b.putShort((short) h.length).put(h);
		b.asFloatBuffer().put(values);
		return b.array();
	}
}
