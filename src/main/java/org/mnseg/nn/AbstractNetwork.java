package org.mnseg.nn;

import ai.djl.ndarray.NDManager;

/**
 * What every network here shares: its spatial dimensions, input channels, classes, and the manager that owns its
 * parameters, a new sub-manager of the caller's (so closing the network frees exactly its parameters). Subclasses
 * check their sizes in the {@code super} call's arguments, so a network refused for its sizes leaves no sub-manager.
 */
public abstract class AbstractNetwork implements Network {
	private final int spatialDims;
	private final int inChannels;
	private final int numClasses;
	private final NDManager manager;

	protected AbstractNetwork(int spatialDims, int inChannels, int numClasses, NDManager parent) {
		this.spatialDims = spatialDims;
		this.inChannels = inChannels;
		this.numClasses = numClasses;
		this.manager = parent.newSubManager();
	}

	@Override
	public final int spatialDims() {
		return spatialDims;
	}

	@Override
	public final int inChannels() {
		return inChannels;
	}

	@Override
	public final int numClasses() {
		return numClasses;
	}

	@Override
	public final NDManager manager() {
		return manager;
	}
}
