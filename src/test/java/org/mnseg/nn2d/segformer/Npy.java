package org.mnseg.nn2d.segformer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Minimal reader of NumPy {@code .npy} files holding little-endian float32 in C order (the golden test data). */
final class Npy {
	private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

	final long[] shape;
	final float[] data;

	private Npy(long[] shape, float[] data) {
		this.shape = shape;
		this.data = data;
	}

	static Npy read(Path file) throws IOException {
		ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
		if (b.get() != (byte) 0x93 || b.get() != 'N')
			throw new IOException(file + " is not a .npy file");
		b.position(6);
		int major = b.get();
		b.get();
		int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
		byte[] header = new byte[headerLength];
		b.get(header);
		String h = new String(header, StandardCharsets.ISO_8859_1);
		if (!h.contains("'descr': '<f4'") || !h.contains("'fortran_order': False"))
			throw new IOException(file + ": only little-endian float32 in C order is supported, header " + h);
		Matcher m = SHAPE.matcher(h);
		if (!m.find())
			throw new IOException(file + ": no shape in header " + h);
		String[] parts = m.group(1).split(",");
		int dims = 0;
		long[] tmp = new long[parts.length];
		for (String p : parts)
			if (!p.isBlank())
				tmp[dims++] = Long.parseLong(p.trim());
		long[] shape = java.util.Arrays.copyOf(tmp, dims);
		float[] data = new float[b.remaining() / 4];
		b.asFloatBuffer().get(data);
		if (data.length != new Shape(shape).size())
			throw new IOException(file + ": " + data.length + " values for shape " + new Shape(shape));
		return new Npy(shape, data);
	}

	NDArray toArray(NDManager manager) {
		return manager.create(data, new Shape(shape));
	}
}
