package org.mnseg.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
 * <p>All parameters are updated at once: their gradients are joined into one flat array, and their moments kept in
 * two flat buffers, so the update costs six engine calls per parameter rather than fifteen; each value goes through
 * the same float operations as in torch's one-tensor-at-a-time loop, so the result is the same bit for bit.
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
	/**
	 * Moments per parameter name, created at the parameter's first update: views into {@link #flatAvg} and
	 * {@link #flatAvgSq} for the parameters of {@link #layout}, standalone arrays for the others.
	 */
	private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
	/** The parameters the last step updated, in order; their moments live in the flat buffers. */
	private List<String> layout = List.of();
	private NDArray flatAvg;
	private NDArray flatAvgSq;
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
			List<String> names = new ArrayList<>();
			List<NDArray> arrays = new ArrayList<>();
			NDList gradients = new NDList();
			for (Param param : params) {
				if (!param.trainable())
					continue;
				NDArray grad = gradientOrNull(param.array());
				if (grad == null)
					continue;
				grad.attach(scratch); // getGradient makes a new handle in the parameter's manager
				names.add(param.name());
				arrays.add(param.array());
				gradients.add(grad);
			}
			if (names.isEmpty())
				return;
			layOutMoments(names, arrays);
			NDArray grad = flatConcat(gradients);
			// While scratch is open, results of operations on the moments land in it, not with the state.
			flatAvg.tempAttach(scratch);
			flatAvgSq.tempAttach(scratch);
			// The operation order of torch's _single_tensor_adamw over all parameters at once: the same float
			// operations on each value in about fifteen engine calls, plus six per parameter (gradient, flattening,
			// its piece of the update, decay, addition, zeroing) where the loop over parameters made about fifteen
			// per parameter. Temporaries the size of all parameters are closed as soon as they are used and
			// operations are in place where the same operation allows it: at most three such temporaries at once.
			try (NDArray scaled = grad.mul(1 - BETA1)) {
				flatAvg.muli(BETA1).addi(scaled);
			}
			try (NDArray squared = grad.mul(1 - BETA2).muli(grad)) {
				flatAvgSq.muli(BETA2).addi(squared);
			}
			NDArray update = flatAvg.mul(-stepSize);
			try (NDArray denominator = flatAvgSq.sqrt().divi((float) bias2Sqrt).addi(EPS)) {
				update.divi(denominator);
			}
			NDList updates = split(update, arrays);
			for (int i = 0; i < arrays.size(); i++) {
				NDArray p = arrays.get(i);
				p.muli(decay).addi(updates.get(i).reshape(p.getShape()));
				zeroGradient(p, gradients.get(i));
			}
		}
	}

	/**
	 * Keeps the moments of the parameters {@code names} (this step's, in order) in two flat buffers, each parameter's
	 * moments a view into them. Rebuilt only when the set of updated parameters changes: at the first step, after
	 * {@link #importState}, or when a parameter gets its first gradient or is frozen.
	 */
	private void layOutMoments(List<String> names, List<NDArray> arrays) {
		if (names.equals(layout))
			return;
		NDArray oldAvg = flatAvg;
		NDArray oldAvgSq = flatAvgSq;
		// Moments of parameters left out of the new layout must outlive the old buffers.
		for (String name : layout) {
			if (!names.contains(name)) {
				NDArray[] m = moments.get(name);
				moments.put(name, new NDArray[] { standalone(m[0]), standalone(m[1]) });
				closeAll(m);
			}
		}
		NDList avgParts = new NDList();
		NDList avgSqParts = new NDList();
		try (NDManager scratch = stateManager.newSubManager()) {
			for (int i = 0; i < names.size(); i++) {
				NDArray[] m = moments.get(names.get(i));
				NDArray zeros = m == null ? scratch.zeros(new Shape(arrays.get(i).size())) : null;
				avgParts.add(m == null ? zeros : flatIn(m[0], scratch));
				avgSqParts.add(m == null ? zeros : flatIn(m[1], scratch));
			}
			// Always fresh buffers, never views of the old ones (which would keep them alive).
			flatAvg = avgParts.size() == 1 ? avgParts.get(0).duplicate() : NDArrays.concat(avgParts);
			flatAvgSq = avgSqParts.size() == 1 ? avgSqParts.get(0).duplicate() : NDArrays.concat(avgSqParts);
			flatAvg.attach(stateManager);
			flatAvgSq.attach(stateManager);
		}
		for (String name : names) {
			NDArray[] m = moments.get(name);
			if (m != null)
				closeAll(m);
		}
		if (oldAvg != null) {
			oldAvg.close();
			oldAvgSq.close();
		}
		NDList avgViews = split(flatAvg, arrays);
		NDList avgSqViews = split(flatAvgSq, arrays);
		for (int i = 0; i < names.size(); i++) {
			Shape shape = arrays.get(i).getShape();
			moments.put(names.get(i), new NDArray[] { avgViews.get(i).reshape(shape), avgSqViews.get(i).reshape(shape) });
		}
		if (names.size() > 1) { // the pieces themselves, not the reshaped views
			avgViews.close();
			avgSqViews.close();
		}
		layout = List.copyOf(names);
	}

	/** The gradients flattened and joined (in their manager). */
	private static NDArray flatConcat(NDList arrays) {
		NDList flat = new NDList(arrays.size());
		for (NDArray a : arrays)
			flat.add(a.reshape(-1));
		return flat.size() == 1 ? flat.get(0) : NDArrays.concat(flat);
	}

	/** {@code a} as one row, its handle in {@code manager}. */
	private static NDArray flatIn(NDArray a, NDManager manager) {
		NDArray flat = a.reshape(-1);
		flat.attach(manager);
		return flat;
	}

	/** {@code flat} cut into pieces of the sizes of {@code arrays}: views, not copies. */
	private static NDList split(NDArray flat, List<NDArray> arrays) {
		if (arrays.size() == 1)
			return new NDList(flat);
		long[] ends = new long[arrays.size() - 1];
		long end = 0;
		for (int i = 0; i < ends.length; i++)
			ends[i] = end += arrays.get(i).size();
		return flat.split(ends);
	}

	private NDArray standalone(NDArray view) {
		NDArray copy = view.duplicate();
		copy.attach(stateManager);
		return copy;
	}

	private static void closeAll(NDArray[] arrays) {
		for (NDArray a : arrays)
			a.close();
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
		for (Param p : params) {
			NDArray[] m = moments.get(p.name());
			if (m == null)
				continue;
			state.put(p.name() + EXP_AVG, m[0]);
			state.put(p.name() + EXP_AVG_SQ, m[1]);
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
		for (NDArray[] m : moments.values())
			closeAll(m);
		moments.clear();
		if (flatAvg != null) {
			flatAvg.close();
			flatAvgSq.close();
			flatAvg = null;
			flatAvgSq = null;
		}
		layout = List.of();
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
