package org.mnseg.pretrained.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mnseg.util.AtomicFiles;
import org.mnseg.util.UserError;

/**
 * A TensorFlow Lite model file read with hand-written accessors over the public FlatBuffers schema (schema.fbs). Only
 * the first subgraph is read: the published models have one.
 *
 * <p>Schema facts used (table field ids): Model {version 0, operator_codes 1, subgraphs 2, description 3, buffers 4};
 * OperatorCode {deprecated_builtin_code 0 (byte), custom_code 1, version 2, builtin_code 3 (int)}, the effective code
 * being the larger of the two because old files only fill the byte; SubGraph {tensors 0, inputs 1, outputs 2,
 * operators 3, name 4}; Tensor {shape 0, type 1, buffer 2, name 3, quantization 4}; QuantizationParameters {min 0,
 * max 1, scale 2, zero_point 3, details_type 4, details 5, quantized_dimension 6}; Buffer {data 0, offset 1, size 2};
 * Operator {opcode_index 0, inputs 1, outputs 2, builtin_options_type 3, builtin_options 4}. Files start with the
 * root offset and the identifier {@code TFL3}; all scalars are little-endian.
 */
public final class TfliteModel {
	private final Path file;
	private final ByteBuffer bytes;
	private final List<TensorInfo> tensors;
	private final List<OperatorInfo> operators;
	private final int[] inputs;
	private final int[] outputs;
	private final FlatTable model;

	private TfliteModel(Path file, ByteBuffer bytes) {
		this.file = file;
		this.bytes = bytes;
		if (bytes.limit() < 8 || bytes.get(4) != 'T' || bytes.get(5) != 'F' || bytes.get(6) != 'L' || bytes.get(7) != '3')
			throw new UserError(file + " is not a TensorFlow Lite model (no TFL3 identifier): check that the download is complete or use the .tflite file itself");
		model = new FlatTable(bytes.getInt(0), bytes);
		if (model.vectorLength(2) < 1) throw new UserError(file + " holds no subgraph: it is not a usable TFLite model");
		FlatTable graph = model.tableAt(2, 0);
		int[] opcodes = readOpcodes(model);
		List<TensorInfo> t = new ArrayList<>();
		for (int i = 0; i < graph.vectorLength(0); i++) t.add(readTensor(i, graph.tableAt(0, i)));
		tensors = Collections.unmodifiableList(t);
		inputs = graph.intVector(1);
		outputs = graph.intVector(2);
		List<OperatorInfo> ops = new ArrayList<>();
		for (int i = 0; i < graph.vectorLength(3); i++) {
			FlatTable o = graph.tableAt(3, i);
			int code = opcodes[o.intField(0, 0)];
			BuiltinOp op = BuiltinOp.of(code);
			ops.add(new OperatorInfo(i, op, code, o.intVector(1), o.intVector(2), OpOptions.read(op, o.table(4))));
		}
		operators = Collections.unmodifiableList(ops);
	}

	/** Reads a .tflite file; a missing or malformed file is a {@link UserError} naming it. */
	public static TfliteModel read(Path file) {
		byte[] data;
		try {
			data = Files.readAllBytes(file);
		} catch (IOException e) {
			throw new UserError("Could not read the model file " + file + ": " + AtomicFiles.describe(e), e);
		}
		try {
			return new TfliteModel(file, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
		} catch (IndexOutOfBoundsException | IllegalArgumentException e) {
			throw new UserError(file + " is damaged or not a TensorFlow Lite model (" + e + "): fetch it again", e);
		}
	}

	private static int[] readOpcodes(FlatTable model) {
		int n = model.vectorLength(1);
		int[] codes = new int[n];
		for (int i = 0; i < n; i++) {
			FlatTable c = model.tableAt(1, i);
			codes[i] = Math.max(c.byteField(0, 0), c.intField(3, 0));
		}
		return codes;
	}

	private static TensorInfo readTensor(int index, FlatTable t) {
		FlatTable q = t.table(4);
		Quantization quant = q == null ? new Quantization(new float[0], new long[0], 0)
				: new Quantization(q.floatVector(2), q.longVector(3), q.intField(6, 0));
		return new TensorInfo(index, t.stringField(3), t.intVector(0), TensorType.of(t.ubyteField(1, 0)), t.intField(2, 0), quant);
	}

	public Path file() {
		return file;
	}

	public List<TensorInfo> tensors() {
		return tensors;
	}

	public TensorInfo tensor(int index) {
		return tensors.get(index);
	}

	public List<OperatorInfo> operators() {
		return operators;
	}

	/** Tensor indices of the subgraph's inputs. */
	public int[] inputs() {
		return inputs.clone();
	}

	public int[] outputs() {
		return outputs.clone();
	}

	/** True when the tensor has constant data (weights, sizes, axes). */
	public boolean hasData(int tensor) {
		return dataLength(tensors.get(tensor).buffer()) > 0;
	}

	private int dataLength(int buffer) {
		FlatTable b = model.tableAt(4, buffer);
		if (b.vectorLength(0) > 0) return b.vectorLength(0);
		long offset = b.longField(1, 0);
		return offset > 1 ? (int) b.longField(2, 0) : 0;
	}

	/** The constant bytes of a tensor as a little-endian view. */
	private ByteBuffer data(TensorInfo t) {
		FlatTable b = model.tableAt(4, t.buffer());
		int start;
		int length;
		if (b.vectorLength(0) > 0) {
			start = b.vectorStart(0);
			length = b.vectorLength(0);
		} else {
			// large models keep data after the FlatBuffer, addressed from the file's start
			start = (int) b.longField(1, 0);
			length = (int) b.longField(2, 0);
		}
		if (length == 0 || start <= 1) throw new UserError(file + ": tensor " + t.name() + " has no constant data, but the network needs it as a weight");
		long expected = t.size() * (t.type() == null ? 1 : t.type().bytes());
		if (length != expected)
			throw new UserError(file + ": tensor " + t.name() + " holds " + length + " bytes, its shape needs " + expected + ": the file is damaged");
		ByteBuffer view = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		view.position(start).limit(start + length);
		return view.slice().order(ByteOrder.LITTLE_ENDIAN);
	}

	/**
	 * A constant tensor's values as floats in the file's element order: float32 as stored, int8/uint8/int32 dequantised
	 * with their (per-channel) scale and zero point. An int32 tensor without quantisation is returned as its integers.
	 */
	public float[] floats(int tensor) {
		TensorInfo t = tensors.get(tensor);
		ByteBuffer d = data(t);
		int n = Math.toIntExact(t.size());
		float[] out = new float[n];
		TensorType type = t.type();
		if (type == TensorType.FLOAT32) {
			d.asFloatBuffer().get(out);
			return out;
		}
		Quantization q = t.quantization();
		int channelAxis = q.perChannel() ? q.quantizedDimension() : -1;
		int inner = 1;
		int channels = 1;
		if (channelAxis >= 0) {
			channels = t.dim(channelAxis);
			for (int a = channelAxis + 1; a < t.rank(); a++) inner *= t.dim(a);
			if (channels != q.channels())
				throw new UserError(file + ": tensor " + t.name() + " has " + q.channels() + " scales for " + channels + " channels: the file is damaged");
		}
		for (int i = 0; i < n; i++) {
			long raw;
			if (type == TensorType.INT8) raw = d.get(i);
			else if (type == TensorType.UINT8) raw = d.get(i) & 0xFF;
			else if (type == TensorType.INT32) raw = d.getInt(4 * i);
			else if (type == TensorType.INT64) raw = d.getLong(8 * i);
			else if (type == TensorType.INT16) raw = d.getShort(2 * i);
			else throw new UserError(file + ": tensor " + t.name() + " has element type " + type + ", which this reader cannot convert");
			if (!q.present()) {
				out[i] = raw;
				continue;
			}
			int c = channelAxis < 0 ? 0 : (i / inner) % channels;
			out[i] = (float) ((raw - q.zeroPoint(c)) * (double) q.scale(c));
		}
		return out;
	}

	/** A constant integer tensor (sizes, axes, shapes). */
	public int[] ints(int tensor) {
		TensorInfo t = tensors.get(tensor);
		ByteBuffer d = data(t);
		int n = Math.toIntExact(t.size());
		int[] out = new int[n];
		for (int i = 0; i < n; i++) {
			if (t.type() == TensorType.INT32) out[i] = d.getInt(4 * i);
			else if (t.type() == TensorType.INT64) out[i] = Math.toIntExact(d.getLong(8 * i));
			else throw new UserError(file + ": tensor " + t.name() + " should hold integers, but has type " + t.type());
		}
		return out;
	}
}
