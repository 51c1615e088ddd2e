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
 * <p>Consecutive parameters are updated in groups of up to {@link #GROUP_VALUES} values: their gradients joined into
 * one flat array and their moments kept in two flat buffers, so a small parameter costs six engine calls rather than
 * fifteen; each value goes through the same float operations as in torch's one-tensor-at-a-time loop, so the result
 * is the same bit for bit.
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
	private final long groupValues;
	/**
	 * Moments per parameter name, created at the parameter's first update: views into the flat buffers of
	 * {@link #groups} for the parameters of {@link #layout}, standalone arrays for the others.
	 */
	private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
	/** The parameters the last step updated, in order; their moments live in the groups' flat buffers. */
	private List<String> layout = List.of();
	private List<Group> groups = List.of();
	private long stepCount;

	/**
	 * Most values updated together (4 MB of floats). Joining small parameters saves engine calls; joining large ones
	 * makes each temporary a fresh allocation of the whole network's size, whose page faults cost more than the calls
	 * saved. In two runs of scripts/bench-adamw (results/adamw-speed.md) the 2-D partner's update (124 tensors, 7.9
	 * million values) took 0.157-0.167 s as one group, 0.023-0.039 s one parameter at a time and 0.021-0.032 s in groups
	 * of this size (2^18: 0.019-0.025 s); the 3-D UNet's 0.0040-0.0048 s in groups of this size (2^18: 0.0056-0.0060 s)
	 * against 0.0053-0.0064 s one at a time.
	 */
	static final long GROUP_VALUES = 1L << 20;

	/** Consecutive parameters updated together; their moments are two flat buffers. */
	private record Group(int size, NDArray avg, NDArray avgSq) implements AutoCloseable {
		@Override
		public void close() {
			avg.close();
			avgSq.close();
		}
	}

	/** An optimiser over {@code params} (names must be unique) with decoupled weight decay. */
	public AdamW(List<Param> params, float weightDecay) {
		this(params, weightDecay, GROUP_VALUES);
	}

	/** As above, updating at most {@code groupValues} values together (tests and the AdamW benchmark vary it). */
	public AdamW(List<Param> params, float weightDecay, long groupValues) {
		if (params.isEmpty())
			throw new IllegalArgumentException("AdamW needs at least one parameter");
		if (params.stream().map(Param::name).distinct().count() != params.size())
			throw new IllegalArgumentException("AdamW needs unique parameter names");
		this.params = new ArrayList<>(params);
		this.weightDecay = weightDecay;
		this.stateManager = params.get(0).array().getManager().newSubManager();
		this.groupValues = groupValues;
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
			int first = 0;
			for (Group group : groups) {
				List<NDArray> members = arrays.subList(first, first + group.size());
				update(group, members, gradients.subList(first, first + group.size()), decay, stepSize, bias2Sqrt, scratch);
				first += group.size();
			}
		}
	}

	private static void update(Group group, List<NDArray> arrays, List<NDArray> gradients, float decay, float stepSize,
			double bias2Sqrt, NDManager scratch) {
		NDArray grad = flatConcat(gradients);
		// While scratch is open, results of operations on the moments land in it, not with the state.
		group.avg().tempAttach(scratch);
		group.avgSq().tempAttach(scratch);
		// The operation order of torch's _single_tensor_adamw over the group at once: the same float operations on
		// each value in about fifteen engine calls, plus six per parameter (gradient, flattening, its piece of the
		// update, decay, addition, zeroing) where the loop over parameters made about fifteen per parameter.
		// Temporaries are closed as soon as they are used and operations in place where the same operation allows it.
		try (NDArray scaled = grad.mul(1 - BETA1)) {
			group.avg().muli(BETA1).addi(scaled);
		}
		try (NDArray squared = grad.mul(1 - BETA2).muli(grad)) {
			group.avgSq().muli(BETA2).addi(squared);
		}
		NDArray update = group.avg().mul(-stepSize);
		try (NDArray denominator = group.avgSq().sqrt().divi((float) bias2Sqrt).addi(EPS)) {
			update.divi(denominator);
		}
		NDList updates = split(update, arrays);
		for (int i = 0; i < arrays.size(); i++) {
			NDArray p = arrays.get(i);
			p.muli(decay).addi(updates.get(i).reshape(p.getShape()));
			zeroGradient(p, gradients.get(i));
		}
	}

	/**
	 * Keeps the moments of the parameters {@code names} (this step's, in order) in groups of flat buffers of at most
	 * {@link #groupValues} values (a larger parameter alone), each parameter's moments a view into them. Laid out
	 * again only when the set of updated parameters changes: at the first step, after {@link #importState}, or when a
	 * parameter gets its first gradient or is frozen.
	 */
	private void layOutMoments(List<String> names, List<NDArray> arrays) {
		if (names.equals(layout))
			return;
		// Moments of parameters left out of the new layout must outlive the old buffers.
		for (String name : layout) {
			if (!names.contains(name)) {
				NDArray[] m = moments.get(name);
				moments.put(name, new NDArray[] { standalone(m[0]), standalone(m[1]) });
				closeAll(m);
			}
		}
		List<Group> laidOut = new ArrayList<>();
		for (int first = 0, end; first < names.size(); first = end) {
			long values = arrays.get(first).size();
			for (end = first + 1; end < names.size() && values + arrays.get(end).size() <= groupValues; end++)
				values += arrays.get(end).size();
			laidOut.add(newGroup(names.subList(first, end), arrays.subList(first, end)));
		}
		for (String name : names) {
			NDArray[] m = moments.get(name);
			if (m != null)
				closeAll(m);
		}
		for (Group group : groups)
			group.close();
		int first = 0;
		for (Group group : laidOut) {
			List<NDArray> members = arrays.subList(first, first + group.size());
			NDList avgViews = split(group.avg(), members);
			NDList avgSqViews = split(group.avgSq(), members);
			for (int i = 0; i < members.size(); i++) {
				Shape shape = members.get(i).getShape();
				moments.put(names.get(first + i), new NDArray[] { avgViews.get(i).reshape(shape), avgSqViews.get(i).reshape(shape) });
			}
			if (members.size() > 1) { // the pieces themselves, not the reshaped views
				avgViews.close();
				avgSqViews.close();
			}
			first += group.size();
		}
		groups = laidOut;
		layout = List.copyOf(names);
	}

	/** A group's flat buffers, filled with its parameters' moments so far (zeros where there are none yet). */
	private Group newGroup(List<String> names, List<NDArray> arrays) {
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
			NDArray avg = avgParts.size() == 1 ? avgParts.get(0).duplicate() : NDArrays.concat(avgParts);
			NDArray avgSq = avgSqParts.size() == 1 ? avgSqParts.get(0).duplicate() : NDArrays.concat(avgSqParts);
			avg.attach(stateManager);
			avgSq.attach(stateManager);
			return new Group(names.size(), avg, avgSq);
		}
	}

	/** The gradients flattened and joined (in their manager). */
	private static NDArray flatConcat(List<NDArray> arrays) {
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
		for (Group group : groups)
			group.close();
		groups = List.of();
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
