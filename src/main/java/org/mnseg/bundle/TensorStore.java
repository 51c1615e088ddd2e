package org.mnseg.bundle;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mnseg.nn.EngineFloats;
import org.mnseg.nn.Param;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Named float tensors in insertion order: network weights or optimiser state, as kept in bundles and checkpoints.
 * A store holds copies ({@link #of}, a file's tensors) or, for a checkpoint written at once, views of the engine's
 * own arrays ({@link #viewOf}), which are read only while being written.
 */
public final class TensorStore {

	/** Where a tensor's values are: a Java array, or the engine's memory. */
	interface Source {
		long[] shape();

		/** The values in C order, without a copy where the source allows it. */
		FloatBuffer floats();

		Tensor tensor();
	}

	/** One tensor: shape and values in C order. */
	public record Tensor(long[] shape, float[] data) implements Source {
		public Tensor {
			long n = 1;
			for (long d : shape) n *= d;
			if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
		}

		@Override
		public FloatBuffer floats() {
			return FloatBuffer.wrap(data);
		}

		@Override
		public Tensor tensor() {
			return this;
		}
	}

	/** An engine array's values as they are when read: a view of its memory, so writing it makes no copy. */
	private record EngineView(NDArray array) implements Source {
		EngineView {
			if (array.getDataType() != DataType.FLOAT32) throw new IllegalArgumentException("only float32 tensors are stored, got " + array.getDataType());
		}

		@Override
		public long[] shape() {
			return array.getShape().getShape();
		}

		@Override
		public FloatBuffer floats() {
			return EngineFloats.view(array);
		}

		@Override
		public Tensor tensor() {
			return new Tensor(shape(), array.toFloatArray());
		}
	}

	private final Map<String, Source> tensors = new LinkedHashMap<>();

	public void put(String name, Tensor t) {
		tensors.put(name, t);
	}

	public void put(String name, long[] shape, float[] data) {
		put(name, new Tensor(shape, data));
	}

	public Tensor get(String name) {
		Source t = tensors.get(name);
		return t == null ? null : t.tensor();
	}

	/** Every tensor with its values (views are copied). */
	public Map<String, Tensor> asMap() {
		Map<String, Tensor> copy = new LinkedHashMap<>();
		tensors.forEach((name, t) -> copy.put(name, t.tensor()));
		return Collections.unmodifiableMap(copy);
	}

	/** Every tensor as it is stored, for writing without copies. */
	Map<String, Source> sources() {
		return Collections.unmodifiableMap(tensors);
	}

	public int size() {
		return tensors.size();
	}

	/**
	 * Fails, naming the first tensor with a NaN or infinite value and how many it has, unless every value is finite.
	 * {@code what} starts the message (e.g. "Refusing to write bundle x: its '3d' model").
	 */
	public void requireFinite(String what) {
		for (Map.Entry<String, Source> e : tensors.entrySet()) {
			long bad = 0;
			FloatBuffer values = e.getValue().floats();
			while (values.hasRemaining())
				if (!Float.isFinite(values.get())) bad++;
			if (bad > 0)
				throw new UserError(what + " has " + bad + " NaN or infinite values in tensor '" + e.getKey() + "'.");
		}
	}

	/** Copies the current values of a network's parameters. */
	public static TensorStore of(List<Param> params) {
		TensorStore store = new TensorStore();
		for (Param p : params) {
			NDArray a = p.array();
			store.put(p.name(), a.getShape().getShape(), a.toFloatArray());
		}
		return store;
	}

	/**
	 * Views of the given arrays, read when the store is written: for a checkpoint of live weights and optimiser state
	 * written at once, which then puts no copy of the models on the Java heap (a copy per epoch of both networks and
	 * their optimiser state made the heap grow). The arrays must stay open and unchanged until the store is written.
	 */
	public static TensorStore viewOf(Map<String, NDArray> arrays) {
		TensorStore store = new TensorStore();
		arrays.forEach((name, a) -> store.tensors.put(name, new EngineView(a)));
		return store;
	}

	/**
	 * Sets a network's parameters from this store, by name. Every parameter must be present with the same shape:
	 * a partial load would silently leave random weights behind.
	 */
	public void loadInto(List<Param> params, String what) {
		for (Param p : params) {
			Tensor t = get(p.name());
			if (t == null)
				throw new UserError(what + " has no weights for parameter '" + p.name() + "': it was saved by a different architecture or configuration.");
			long[] expected = p.array().getShape().getShape();
			if (!Arrays.equals(expected, t.shape()))
				throw new UserError(what + ": parameter '" + p.name() + "' has shape " + Arrays.toString(t.shape()) + ", the network expects "
					+ Arrays.toString(expected) + ".");
			p.set(t.data());
		}
	}
}
