package org.mnseg.bundle;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mnseg.nn.Param;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;

/**
 * Named float tensors in insertion order: network weights or optimiser state, as kept in bundles and checkpoints.
 */
public final class TensorStore {

	/** One tensor: shape and values in C order. */
	public record Tensor(long[] shape, float[] data) {
		public Tensor {
			long n = 1;
			for (long d : shape) n *= d;
			if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
		}
	}

	private final Map<String, Tensor> tensors = new LinkedHashMap<>();

	public void put(String name, Tensor t) {
		tensors.put(name, t);
	}

	public void put(String name, long[] shape, float[] data) {
		put(name, new Tensor(shape, data));
	}

	public Tensor get(String name) {
		return tensors.get(name);
	}

	public Map<String, Tensor> asMap() {
		return java.util.Collections.unmodifiableMap(tensors);
	}

	public int size() {
		return tensors.size();
	}

	/**
	 * Fails, naming the first tensor with a NaN or infinite value and how many it has, unless every value is finite.
	 * {@code what} starts the message (e.g. "Refusing to write bundle x: its '3d' model").
	 */
	public void requireFinite(String what) {
		for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
			long bad = 0;
			for (float x : e.getValue().data())
				if (!Float.isFinite(x)) bad++;
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
	 * Sets a network's parameters from this store, by name. Every parameter must be present with the same shape:
	 * a partial load would silently leave random weights behind.
	 */
	public void loadInto(List<Param> params, String what) {
		for (Param p : params) {
			Tensor t = tensors.get(p.name());
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
