package org.mnseg.nn;

import ai.djl.ndarray.NDArray;

/**
 * One named tensor of a network. Names are stable dotted paths (e.g. {@code enc.0.conv1.weight}) used by the model
 * bundle, by weight importers and by fine-tuning strategies that freeze or unfreeze parameters by name.
 */
public final class Param {
	private final String name;
	private NDArray array;
	private boolean trainable = true;

	public Param(String name, NDArray array) {
		this.name = name;
		this.array = array;
		array.setRequiresGradient(true);
	}

	public String name() {
		return name;
	}

	public NDArray array() {
		return array;
	}

	public boolean trainable() {
		return trainable;
	}

	/** Frozen parameters get no gradient and are left alone by the optimiser. */
	public void setTrainable(boolean trainable) {
		this.trainable = trainable;
		array.setRequiresGradient(trainable);
	}

	/** Copies values into the parameter (same shape), keeping its identity, manager and gradient flag. */
	public void set(float[] values) {
		if (values.length != array.size())
			throw new IllegalArgumentException(name + ": expected " + array.size() + " values, got " + values.length);
		array.set(values);
	}
}
