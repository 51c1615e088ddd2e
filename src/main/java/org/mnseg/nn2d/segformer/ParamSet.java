package org.mnseg.nn2d.segformer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.mnseg.nn.AdaptableLayer;
import org.mnseg.nn.Param;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Creates a network's parameters in one manager, in creation order (= Hugging Face's state_dict order), drawing
 * random initial values from one seeded generator so that a seed gives the same network on every engine.
 */
final class ParamSet {
	private final NDManager manager;
	private final SplittableRandom random;
	private final List<Param> params = new ArrayList<>();
	private final List<AdaptableLayer> dense = new ArrayList<>();

	ParamSet(NDManager manager, long seed) {
		this.manager = manager;
		this.random = new SplittableRandom(seed);
	}

	/** Values ~ N(0, std^2), as Hugging Face initialises linear and convolution weights. */
	Param normal(String name, Shape shape, double std) {
		float[] values = new float[Math.toIntExact(shape.size())];
		for (int i = 0; i < values.length; i++)
			values[i] = (float) (random.nextGaussian() * std);
		return add(new Param(name, manager.create(values, shape)));
	}

	Param constant(String name, Shape shape, float value) {
		return add(new Param(name, manager.full(shape, value)));
	}

	/** A statistic the optimiser must not touch (BatchNorm's running mean and variance). */
	Param buffer(String name, Shape shape, float value) {
		Param p = constant(name, shape, value);
		p.setTrainable(false);
		return p;
	}

	/** A linear layer (weight [out, in], bias [out]) named by its Hugging Face module path. */
	AdaptableLayer linear(String name, int in, int out, double std) {
		Param w = normal(name + ".weight", new Shape(out, in), std);
		Param b = constant(name + ".bias", new Shape(out), 0f);
		return addLayer(new AdaptableLayer(name, AdaptableLayer.Kind.LINEAR, w, b));
	}

	/** A 1x1 convolution (weight [out, in, 1, 1]), with or without bias. */
	AdaptableLayer pointwise(String name, int in, int out, boolean withBias, double std) {
		Param w = normal(name + ".weight", new Shape(out, in, 1, 1), std);
		Param b = withBias ? constant(name + ".bias", new Shape(out), 0f) : null;
		return addLayer(new AdaptableLayer(name, AdaptableLayer.Kind.POINTWISE_CONV2D, w, b));
	}

	private AdaptableLayer addLayer(AdaptableLayer layer) {
		dense.add(layer);
		return layer;
	}

	/** The linear and pointwise layers, in creation order. */
	List<AdaptableLayer> denseLayers() {
		return Collections.unmodifiableList(dense);
	}

	private Param add(Param p) {
		params.add(p);
		return p;
	}

	NDManager manager() {
		return manager;
	}

	List<Param> list() {
		return Collections.unmodifiableList(params);
	}
}
