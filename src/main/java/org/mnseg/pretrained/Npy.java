package org.mnseg.pretrained;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mnseg.util.AtomicFiles;
import org.mnseg.util.UserError;

/**
 * A NumPy .npy array (format versions 1-3, C order, little-endian uint8 / int32 / int64 / float32 / float64), read
 * as floats. Used for the golden reference files.
 */
public final class Npy {
	private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
	private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
	private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

	private final int[] shape;
	private final float[] data;

	private Npy(int[] shape, float[] data) {
		this.shape = shape;
		this.data = data;
	}

	public int[] shape() {
		return shape.clone();
	}

	public float[] data() {
		return data;
	}

	public static Npy read(Path file) {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		} catch (IOException e) {
			throw new UserError("Could not read " + file + ": " + AtomicFiles.describe(e), e);
		}
		ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		if (bytes.length < 10 || (bytes[0] & 0xFF) != 0x93 || bytes[1] != 'N' || bytes[2] != 'U')
			throw new UserError(file + " is not a NumPy .npy file");
		int major = bytes[6];
		int headerLength = major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8);
		int start = major == 1 ? 10 : 12;
		String header = new String(bytes, start, headerLength, StandardCharsets.ISO_8859_1);
		Matcher d = DESCR.matcher(header);
		Matcher f = FORTRAN.matcher(header);
		Matcher s = SHAPE.matcher(header);
		if (!d.find() || !s.find() || (f.find() && f.group(1).equals("True")))
			throw new UserError(file + ": unsupported .npy header " + header.trim());
		String[] dims = s.group(1).split(",");
		int count = 0;
		for (String dim : dims) if (!dim.isBlank()) count++;
		int[] shape = new int[count];
		long size = 1;
		int k = 0;
		for (String dim : dims) {
			if (dim.isBlank()) continue;
			shape[k] = Integer.parseInt(dim.trim());
			size *= shape[k++];
		}
		ByteBuffer payload = b.position(start + headerLength).slice().order(ByteOrder.LITTLE_ENDIAN);
		float[] out = new float[Math.toIntExact(size)];
		String descr = d.group(1);
		for (int i = 0; i < out.length; i++) {
			switch (descr) {
				case "|u1":
				case "<u1":
					out[i] = payload.get(i) & 0xFF;
					break;
				case "<i4":
					out[i] = payload.getInt(4 * i);
					break;
				case "<i8":
					out[i] = payload.getLong(8 * i);
					break;
				case "<f4":
					out[i] = payload.getFloat(4 * i);
					break;
				case "<f8":
					out[i] = (float) payload.getDouble(8 * i);
					break;
				default:
					throw new UserError(file + ": unsupported .npy element type " + descr);
			}
		}
		return new Npy(shape, out);
	}
}
