package org.mnseg.pretrained.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.mnseg.util.UserError;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Reader of Hugging Face's {@code .safetensors} weight files: an 8-byte little-endian header length, a UTF-8 JSON
 * header mapping each tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (begin/end relative to the
 * data section), an optional {@code __metadata__} map of strings, then the raw little-endian tensor data.
 *
 * <p>Floating-point tensors (F32, F16, BF16, F64) are read as float; integer tensors (I64, I32) as long, so that
 * bookkeeping entries such as BatchNorm's {@code num_batches_tracked} can be read or skipped. The whole header is
 * validated on {@link #open}, so a truncated or corrupt file fails there with a {@link UserError} naming the file,
 * not later in the middle of loading a network.
 */
public final class Safetensors implements AutoCloseable {
	/** Largest header accepted (the format's reference implementation uses the same 100 MB limit). */
	private static final long MAX_HEADER_BYTES = 100_000_000L;

	/** Element types of the format that this reader converts. */
	public enum DType {
		F64(8, true), F32(4, true), F16(2, true), BF16(2, true), I64(8, false), I32(4, false);

		private final int bytes;
		private final boolean floating;

		DType(int bytes, boolean floating) {
			this.bytes = bytes;
			this.floating = floating;
		}

		/** Bytes per element. */
		public int bytes() {
			return bytes;
		}

		/** Whether {@link Safetensors#floats} can read tensors of this type. */
		public boolean isFloating() {
			return floating;
		}
	}

	/** One tensor's header entry; offsets are absolute positions in the file. */
	public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
		/** Number of elements (1 for a scalar of shape []). */
		public long elements() {
			long n = 1;
			for (long d : shape) n *= d;
			return n;
		}

		@Override
		public String toString() {
			return name + " " + dtype + " " + Arrays.toString(shape);
		}
	}

	private final Path file;
	private final FileChannel channel;
	private final Map<String, TensorInfo> tensors;
	private final Map<String, String> metadata;

	private Safetensors(Path file, FileChannel channel, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
		this.file = file;
		this.channel = channel;
		this.tensors = tensors;
		this.metadata = metadata;
	}

	/**
	 * Opens a file and validates its header: every tensor must have a known dtype, a shape whose size matches its
	 * byte range, and lie inside the file.
	 *
	 * @throws UserError if the file is missing, truncated or not a safetensors file
	 */
	public static Safetensors open(Path file) {
		FileChannel channel;
		try {
			channel = FileChannel.open(file, StandardOpenOption.READ);
		} catch (NoSuchFileException e) {
			throw new UserError("Weight file " + file + " does not exist: check the path");
		} catch (IOException e) {
			throw new UserError("Could not open weight file " + file + ": " + e.getMessage(), e);
		}
		try {
			long size = channel.size();
			if (size < 8)
				throw corrupt(file, "it has only " + size + " bytes, fewer than the 8-byte header length");
			long headerLength = readFully(channel, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN).getLong();
			if (headerLength < 2 || headerLength > MAX_HEADER_BYTES)
				throw corrupt(file, "its header length field says " + headerLength + " bytes");
			if (8 + headerLength > size)
				throw corrupt(file, "it is truncated: the header needs " + (8 + headerLength) + " bytes but the file has "
						+ size);
			ByteBuffer header = readFully(channel, 8, (int) headerLength, file);
			String json = StandardCharsets.UTF_8.decode(header).toString();
			long dataStart = 8 + headerLength;
			Map<String, String> metadata = new LinkedHashMap<>();
			Map<String, TensorInfo> tensors = parseHeader(file, json, dataStart, size, metadata);
			return new Safetensors(file, channel, tensors, Collections.unmodifiableMap(metadata));
		} catch (RuntimeException e) {
			closeQuietly(channel);
			throw e;
		} catch (IOException e) {
			closeQuietly(channel);
			throw new UserError("Could not read weight file " + file + ": " + e.getMessage(), e);
		}
	}

	private static Map<String, TensorInfo> parseHeader(Path file, String json, long dataStart, long fileSize,
			Map<String, String> metadataOut) {
		JsonObject root;
		try {
			JsonElement parsed = JsonParser.parseString(json);
			if (!parsed.isJsonObject())
				throw corrupt(file, "its header is not a JSON object");
			root = parsed.getAsJsonObject();
		} catch (JsonParseException e) {
			throw corrupt(file, "its header is not valid JSON (" + e.getMessage() + ")");
		}
		Map<String, TensorInfo> tensors = new LinkedHashMap<>();
		for (Map.Entry<String, JsonElement> e : root.entrySet()) {
			String name = e.getKey();
			if (name.equals("__metadata__")) {
				if (e.getValue().isJsonObject())
					for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet())
						metadataOut.put(m.getKey(), m.getValue().isJsonPrimitive() ? m.getValue().getAsString() : m.getValue().toString());
				continue;
			}
			tensors.put(name, parseEntry(file, name, e.getValue(), dataStart, fileSize));
		}
		return Collections.unmodifiableMap(tensors);
	}

	private static TensorInfo parseEntry(Path file, String name, JsonElement value, long dataStart, long fileSize) {
		try {
			JsonObject o = value.getAsJsonObject();
			String dtypeName = o.get("dtype").getAsString();
			DType dtype;
			try {
				dtype = DType.valueOf(dtypeName);
			} catch (IllegalArgumentException ex) {
				throw new UserError("Tensor " + name + " in " + file + " has data type " + dtypeName
						+ ", which this reader does not support (supported: " + Arrays.toString(DType.values()) + ")");
			}
			JsonArray shapeJson = o.getAsJsonArray("shape");
			long[] shape = new long[shapeJson.size()];
			for (int i = 0; i < shape.length; i++) {
				shape[i] = shapeJson.get(i).getAsLong();
				if (shape[i] < 0)
					throw corrupt(file, "tensor " + name + " has a negative dimension");
			}
			JsonArray offsets = o.getAsJsonArray("data_offsets");
			if (offsets.size() != 2)
				throw corrupt(file, "tensor " + name + " has " + offsets.size() + " data_offsets instead of 2");
			long begin = offsets.get(0).getAsLong();
			long end = offsets.get(1).getAsLong();
			TensorInfo info = new TensorInfo(name, dtype, shape, dataStart + begin, dataStart + end);
			if (begin < 0 || end < begin)
				throw corrupt(file, "tensor " + name + " has data_offsets [" + begin + ", " + end + "]");
			if (end - begin != info.elements() * dtype.bytes())
				throw corrupt(file, "tensor " + info + " should take " + info.elements() * dtype.bytes()
						+ " bytes but its data_offsets span " + (end - begin));
			if (info.end() > fileSize)
				throw corrupt(file, "it is truncated: tensor " + name + " ends at byte " + info.end()
						+ " but the file has " + fileSize + " bytes");
			return info;
		} catch (IllegalStateException | NullPointerException | UnsupportedOperationException
				| ClassCastException | NumberFormatException e) {
			throw corrupt(file, "the header entry of tensor " + name + " lacks a valid dtype, shape or data_offsets");
		}
	}

	/** Tensor names in header order. */
	public Set<String> names() {
		return tensors.keySet();
	}

	public boolean contains(String name) {
		return tensors.containsKey(name);
	}

	/** A tensor's header entry. @throws UserError if absent */
	public TensorInfo info(String name) {
		TensorInfo info = tensors.get(name);
		if (info == null)
			throw new UserError("Weight file " + file + " has no tensor named " + name);
		return info;
	}

	/** The {@code __metadata__} strings of the header (empty if none). */
	public Map<String, String> metadata() {
		return metadata;
	}

	public Path file() {
		return file;
	}

	/**
	 * A floating-point tensor's values as float, in C order. F16 and BF16 are widened exactly; F64 is rounded.
	 *
	 * @throws UserError if the tensor is absent, integral or cannot be read
	 */
	public float[] floats(String name) {
		TensorInfo info = info(name);
		if (!info.dtype().isFloating())
			throw new UserError("Tensor " + name + " in " + file + " holds integers (" + info.dtype() + "), not floats");
		ByteBuffer data = read(info);
		float[] out = new float[Math.toIntExact(info.elements())];
		for (int i = 0; i < out.length; i++) {
			switch (info.dtype()) {
				case F32:
					out[i] = data.getFloat();
					break;
				case F64:
					out[i] = (float) data.getDouble();
					break;
				case F16:
					out[i] = halfToFloat(data.getShort());
					break;
				default: // BF16: the upper half of a float32
					out[i] = Float.intBitsToFloat((data.getShort() & 0xFFFF) << 16);
			}
		}
		return out;
	}

	/** An integer tensor's values (I64 or I32) as long, in C order. */
	public long[] longs(String name) {
		TensorInfo info = info(name);
		if (info.dtype().isFloating())
			throw new UserError("Tensor " + name + " in " + file + " holds floats (" + info.dtype() + "), not integers");
		ByteBuffer data = read(info);
		long[] out = new long[Math.toIntExact(info.elements())];
		for (int i = 0; i < out.length; i++)
			out[i] = info.dtype() == DType.I64 ? data.getLong() : data.getInt();
		return out;
	}

	private ByteBuffer read(TensorInfo info) {
		long length = info.end() - info.begin();
		if (length > Integer.MAX_VALUE)
			throw new UserError("Tensor " + info.name() + " in " + file + " is larger than 2 GB, which is not supported");
		try {
			return readFully(channel, info.begin(), (int) length, file).order(ByteOrder.LITTLE_ENDIAN);
		} catch (IOException e) {
			throw new UserError("Could not read tensor " + info.name() + " from " + file + ": " + e.getMessage(), e);
		}
	}

	private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(length);
		while (buffer.hasRemaining()) {
			int n = channel.read(buffer, position + buffer.position());
			if (n < 0)
				throw corrupt(file, "it ended after " + (position + buffer.position()) + " bytes (truncated)");
		}
		buffer.flip();
		return buffer;
	}

	/** IEEE 754 half precision to float, including subnormals, infinities and NaN. */
	static float halfToFloat(short half) {
		int h = half & 0xFFFF;
		int sign = (h & 0x8000) << 16;
		int exponent = (h >>> 10) & 0x1F;
		int mantissa = h & 0x3FF;
		if (exponent == 0x1F) // infinity or NaN
			return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
		if (exponent == 0) {
			// zero or subnormal: mantissa * 2^-24, exact in float
			float magnitude = mantissa * 0x1p-24f;
			return sign == 0 ? magnitude : -magnitude;
		}
		return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
	}

	private static UserError corrupt(Path file, String what) {
		return new UserError("Weight file " + file + " is not a valid safetensors file: " + what
				+ ". Download it again (from the model's Hugging Face page, file model.safetensors)");
	}

	private static void closeQuietly(FileChannel channel) {
		try {
			channel.close();
		} catch (IOException ignored) {
			// the reported problem is the one that matters
		}
	}

	@Override
	public void close() {
		closeQuietly(channel);
	}
}
