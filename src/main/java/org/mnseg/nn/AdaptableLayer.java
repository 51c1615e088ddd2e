package org.mnseg.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;

/**
 * A dense map that can carry a LoRA adapter: a linear layer (weight [out, in] on the last axis) or a pointwise 2-D
 * convolution (weight [out, in, 1, 1] on the channel axis of N x C x H x W). Networks route every such layer through
 * this class, so one implementation of low-rank adaptation serves all architectures (SegFormer's attention and
 * Mix-FFN dense layers, MobileNetV2's pointwise convolutions).
 *
 * <p>With an adapter: y = W x + b + (alpha / r) * B A dropout(x), A [r, in] random, B [out, r] zero, so an untrained
 * adapter leaves the output unchanged (LoRA, Hu et al. 2021; the reference code's PEFT settings).
 */
public final class AdaptableLayer {
	/** Which operation the weight performs. */
	public enum Kind {
		LINEAR, POINTWISE_CONV2D
	}

	private final String name;
	private final Kind kind;
	private final Param weight;
	private final Param bias;
	private Param loraA;
	private Param loraB;
	private float scale;
	private float dropout;

	public AdaptableLayer(String name, Kind kind, Param weight, Param bias) {
		this.name = name;
		this.kind = kind;
		this.weight = weight;
		this.bias = bias;
	}

	public String name() {
		return name;
	}

	public Kind kind() {
		return kind;
	}

	public Param weight() {
		return weight;
	}

	public Param bias() {
		return bias;
	}

	public int inFeatures() {
		return (int) weight.array().getShape().get(1);
	}

	public int outFeatures() {
		return (int) weight.array().getShape().get(0);
	}

	public boolean hasAdapter() {
		return loraA != null;
	}

	/** The adapter's parameters ({@code <name>.lora_A}, {@code <name>.lora_B}), empty without adapter. */
	public List<Param> adapterParams() {
		List<Param> p = new ArrayList<>();
		if (loraA != null) {
			p.add(loraA);
			p.add(loraB);
		}
		return p;
	}

	/**
	 * Adds a rank-{@code rank} adapter. A is drawn like a PyTorch linear layer's weight (uniform within
	 * 1/sqrt(in)), B is zero.
	 */
	public void attachAdapter(int rank, double alpha, double dropoutRate, NDManager paramManager, long seed) {
		if (rank < 1) throw new IllegalArgumentException("LoRA rank must be at least 1, got " + rank);
		int in = inFeatures();
		int out = outFeatures();
		float[] a = new float[rank * in];
		SplittableRandom rng = new SplittableRandom(seed ^ name.hashCode());
		double bound = 1.0 / Math.sqrt(in);
		for (int i = 0; i < a.length; i++) a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
		loraA = new Param(name + ".lora_A", paramManager.create(a, new Shape(rank, in)));
		loraB = new Param(name + ".lora_B", paramManager.zeros(new Shape(out, rank)));
		scale = (float) (alpha / rank);
		dropout = (float) dropoutRate;
	}

	/** Restores an adapter's hyper-parameters (its weights are then loaded by name). */
	public void setAdapterScale(float scale, float dropoutRate) {
		this.scale = scale;
		this.dropout = dropoutRate;
	}

	/** Applies the layer (and its adapter, if any). The result and every temporary land in x's manager. */
	public NDArray apply(NDArray x, boolean training) {
		NDArray y = base(x);
		if (loraA == null) return y;
		NDArray h = dropout > 0 && training ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
		NDArray low;
		NDArray up;
		if (kind == Kind.LINEAR) {
			low = Linear.linear(h, loraA.array(), null).singletonOrThrow();
			up = Linear.linear(low, loraB.array(), null).singletonOrThrow();
		} else {
			Shape a4 = new Shape(loraA.array().getShape().get(0), loraA.array().getShape().get(1), 1, 1);
			Shape b4 = new Shape(loraB.array().getShape().get(0), loraB.array().getShape().get(1), 1, 1);
			NDArray aw = loraA.array().reshape(a4);
			NDArray bw = loraB.array().reshape(b4);
			aw.attach(x.getManager());
			bw.attach(x.getManager());
			low = Conv2d.conv2d(h, aw).singletonOrThrow();
			up = Conv2d.conv2d(low, bw).singletonOrThrow();
		}
		return y.add(up.mul(EngineScalar.of(up, scale)));
	}

	private NDArray base(NDArray x) {
		NDArray b = bias == null ? null : bias.array();
		if (kind == Kind.LINEAR) return Linear.linear(x, weight.array(), b).singletonOrThrow();
		return Conv2d.conv2d(x, weight.array(), b).singletonOrThrow();
	}

	/**
	 * Folds the adapter into the base weight (W += scale * B A) and removes it: the merged network computes the same
	 * function at the cost of the plain one.
	 */
	public void mergeAdapter() {
		if (loraA == null) return;
		try (NDManager scratch = weight.array().getManager().newSubManager()) {
			// the product lands in the parameters' manager: move it to scratch before deriving more from it
			NDArray product = loraB.array().matMul(loraA.array());
			product.attach(scratch);
			NDArray delta = product.mul(scale);
			float[] merged = weight.array().toFloatArray();
			float[] d = delta.toFloatArray();
			for (int i = 0; i < merged.length; i++) merged[i] += d[i];
			weight.set(merged);
		}
		loraA.array().close();
		loraB.array().close();
		loraA = null;
		loraB = null;
	}
}
