package org.mnseg.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * AdamW with the semantics of {@code torch.optim.AdamW} (betas 0.9/0.999, eps 1e-8, decoupled weight decay):
 * <pre>
 * p -= lr * wd * p
 * m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2
 * p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Parameters are updated in place, outside any autograd graph. Only trainable parameters that have received a
 * gradient since they were created are updated (PyTorch skips parameters whose gradient is None); after a step
 * their gradients are zeroed, because DJL accumulates gradients across backward passes (PyTorch's
 * {@code zero_grad(set_to_none=False)}: a parameter that once had a gradient keeps being decayed).
 *
 * <p>The moment estimates live in a sub-manager of the first parameter's manager, so they go with the network;
 * {@link #close()} frees them earlier.
 */
public final class AdamW implements AutoCloseable {
	public static final float BETA1 = 0.9f;
	public static final float BETA2 = 0.999f;
	public static final float EPS = 1e-8f;
	public static final float DEFAULT_WEIGHT_DECAY = 0.01f;

	private static final String EXP_AVG = ".exp_avg";
	private static final String EXP_AVG_SQ = ".exp_avg_sq";

	private final List<Param> params;
	private final float weightDecay;
	private final NDManager stateManager;
	/** Moments per parameter name, created at the parameter's first update. */
	private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
	private long stepCount;

	/** An optimiser over {@code params} (names must be unique) with decoupled weight decay. */
	public AdamW(List<Param> params, float weightDecay) {
		if (params.isEmpty())
			throw new IllegalArgumentException("AdamW needs at least one parameter");
		if (params.stream().map(Param::name).distinct().count() != params.size())
			throw new IllegalArgumentException("AdamW needs unique parameter names");
		this.params = new ArrayList<>(params);
		this.weightDecay = weightDecay;
		this.stateManager = params.get(0).array().getManager().newSubManager();
	}

	/** An optimiser with the default weight decay 0.01. */
	public AdamW(List<Param> params) {
		this(params, DEFAULT_WEIGHT_DECAY);
	}

	/** Applies one update with learning rate {@code lr}, then zeroes the gradients of the updated parameters. */
	public void step(float lr) {
		stepCount++;
		// Bias corrections in double, as PyTorch computes them in Python.
		double bias1 = 1 - Math.pow(BETA1, stepCount);
		double bias2Sqrt = Math.sqrt(1 - Math.pow(BETA2, stepCount));
		float decay = (float) (1 - (double) lr * weightDecay);
		float stepSize = (float) (lr / bias1);
		try (NDManager scratch = stateManager.newSubManager()) {
			for (Param param : params) {
				if (!param.trainable())
					continue;
				NDArray p = param.array();
				NDArray grad = gradientOrNull(p);
				if (grad == null)
					continue;
				grad.attach(scratch); // getGradient makes a new handle in the parameter's manager
				NDArray[] m = moments.computeIfAbsent(param.name(), k -> new NDArray[] { stateManager.zeros(p.getShape()),
						stateManager.zeros(p.getShape()) });
				NDArray expAvg = m[0];
				NDArray expAvgSq = m[1];
				// While scratch is open, results of operations on the moments land in it, not with the state.
				expAvg.tempAttach(scratch);
				expAvgSq.tempAttach(scratch);
				// Same operation order as torch's _single_tensor_adamw.
				p.muli(decay);
				expAvg.muli(BETA1).addi(grad.mul(1 - BETA1));
				expAvgSq.muli(BETA2).addi(grad.mul(1 - BETA2).mul(grad));
				NDArray denominator = expAvgSq.sqrt().div((float) bias2Sqrt).add(EPS);
				p.addi(expAvg.mul(-stepSize).div(denominator));
				zeroGradient(p, grad);
			}
		}
	}

	/** Number of steps taken (PyTorch's per-parameter {@code step}; here one count for all parameters). */
	public long stepCount() {
		return stepCount;
	}

	/** The learning-rate-independent weight decay factor. */
	public float weightDecay() {
		return weightDecay;
	}

	/**
	 * The moment estimates, keyed {@code <param>.exp_avg} and {@code <param>.exp_avg_sq}, for checkpoints. Together
	 * with {@link #stepCount()} they let {@link #importState} resume bit-exactly.
	 */
	public Map<String, float[]> exportState() {
		Map<String, float[]> state = new LinkedHashMap<>();
		momentArrays().forEach((key, moment) -> state.put(key, moment.toFloatArray()));
		return state;
	}

	/**
	 * The moment estimates themselves under the keys of {@link #exportState()}, not copied: for writing a checkpoint
	 * at once. They change at the next {@link #step}.
	 */
	public Map<String, NDArray> momentArrays() {
		Map<String, NDArray> state = new LinkedHashMap<>();
		for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
			state.put(e.getKey() + EXP_AVG, e.getValue()[0]);
			state.put(e.getKey() + EXP_AVG_SQ, e.getValue()[1]);
		}
		return state;
	}

	/**
	 * Replaces the optimiser state with one from {@link #exportState()}. Parameters absent from the state start with
	 * zero moments at their next update.
	 *
	 * @throws IllegalArgumentException if a key names no parameter, a moment lacks its partner, or sizes differ
	 */
	public void importState(Map<String, float[]> state, long stepCount) {
		if (stepCount < 0)
			throw new IllegalArgumentException("stepCount must not be negative: " + stepCount);
		Map<String, Param> byName = new LinkedHashMap<>();
		for (Param p : params)
			byName.put(p.name(), p);
		for (String key : state.keySet()) {
			String name = key.endsWith(EXP_AVG_SQ) ? key.substring(0, key.length() - EXP_AVG_SQ.length())
					: key.endsWith(EXP_AVG) ? key.substring(0, key.length() - EXP_AVG.length()) : null;
			if (name == null || !byName.containsKey(name))
				throw new IllegalArgumentException("Optimiser state entry '" + key + "' matches no parameter");
			if (!state.containsKey(name + EXP_AVG) || !state.containsKey(name + EXP_AVG_SQ))
				throw new IllegalArgumentException("Optimiser state for '" + name + "' needs both moments");
		}
		clearMoments();
		for (Param p : params) {
			float[] avg = state.get(p.name() + EXP_AVG);
			if (avg == null)
				continue;
			float[] avgSq = state.get(p.name() + EXP_AVG_SQ);
			if (avg.length != p.array().size() || avgSq.length != p.array().size())
				throw new IllegalArgumentException("Optimiser state for '" + p.name() + "' has " + avg.length
						+ " values, the parameter " + p.array().size());
			moments.put(p.name(), new NDArray[] { stateManager.create(avg, p.array().getShape()),
					stateManager.create(avgSq, p.array().getShape()) });
		}
		this.stepCount = stepCount;
	}

	/** Frees the moment estimates. */
	@Override
	public void close() {
		clearMoments();
		stateManager.close();
	}

	private void clearMoments() {
		for (NDArray[] m : moments.values()) {
			m[0].close();
			m[1].close();
		}
		moments.clear();
	}

	/**
	 * The parameter's gradient, or null if no backward pass has reached it (DJL's getGradient would invent zeros,
	 * which would wrongly decay a parameter that PyTorch skips).
	 */
	private static NDArray gradientOrNull(NDArray p) {
		if (!p.hasGradient())
			return null;
		if (p instanceof PtNDArray)
			return JniUtils.getGradient((PtNDArray) p);
		return p.getGradient();
	}

	private static void zeroGradient(NDArray p, NDArray grad) {
		if (p instanceof PtNDArray)
			JniUtils.zeroGrad((PtNDArray) p);
		else
			grad.muli(0f);
	}
}
