package org.mnseg.nn;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A segmentation network, 2-D or 3-D: logits at the input's resolution. Every architecture (UNet3D, the 2-D
 * networks) implements this, so training, inference and the bundle are model-agnostic.
 *
 * <p>Memory contract: {@link #forward} places every result (including tensors derived from parameters) in the
 * input's manager, so that closing a per-step sub-manager frees the whole step.
 */
public interface Network extends AutoCloseable {

	/** Architecture name as recorded in bundles, e.g. {@code unet3d}. */
	String architecture();

	/** The hyper-parameters that rebuild this architecture with {@code org.mnseg.models.NetworkFactory}. */
	Map<String, Object> config();

	/** 2 (input N x C x H x W) or 3 (input N x C x D x H x W). */
	int spatialDims();

	int inChannels();

	int numClasses();

	/** Logits N x numClasses x (spatial shape of the input). {@code training} switches dropout and the like. */
	NDArray forward(NDArray input, boolean training);

	/**
	 * Whether a training forward pass computes each sample of a batch on its own and changes no state, so that a batch
	 * can be taken in parts with the same gradients ({@code --pass-slices2d}). Batch norm in training mode couples the
	 * samples through the batch's statistics and updates its running ones.
	 */
	default boolean samplesIndependentInTraining() {
		return false;
	}

	/** All parameters in a stable order with unique names. */
	List<Param> params();

	/** The manager owning the parameters. */
	NDManager manager();

	/**
	 * A published pretrained file: its name in the weights registry (and the cache folder) and the checked copy on this
	 * computer.
	 */
	record PretrainedFile(String name, Path path) {}

	/**
	 * The published pretrained file this network was built from (already checked against its registry hash), which a
	 * model bundle carries so that it opens offline elsewhere; empty for networks trained from scratch.
	 */
	default Optional<PretrainedFile> pretrainedFile() {
		return Optional.empty();
	}

	@Override
	default void close() {
		manager().close();
	}
}
