package org.mnseg.nn2d.mobilenet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mnseg.nn.AdaptableLayer;
import org.mnseg.nn.LinearResize;
import org.mnseg.nn.Param;
import org.mnseg.nn2d.Resize2d;
import org.mnseg.pretrained.tflite.Activation;
import org.mnseg.pretrained.tflite.BuiltinOp;
import org.mnseg.pretrained.tflite.OpOptions;
import org.mnseg.pretrained.tflite.OperatorInfo;
import org.mnseg.pretrained.tflite.Padding;
import org.mnseg.pretrained.tflite.TensorInfo;
import org.mnseg.pretrained.tflite.TfliteModel;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The float network a .tflite file describes, executed in DJL in N x C x H x W layout: int8 weights are dequantised
 * once, activations stay float (quantise/dequantise operators are identities). Works at any input size: constant
 * resize targets follow the tensor that had that size in the file, and a pool whose window covers its whole native
 * input becomes a global mean.
 *
 * <p>Parameters are named {@code <prefix>.<layer>.weight|bias}, where the layer name is the operator's output tensor
 * name without its activation / batch-norm suffixes ({@code MobilenetV2/expanded_conv_3/expand/Relu6} becomes
 * {@code MobilenetV2.expanded_conv_3.expand}); weights use PyTorch's layout (OIHW, depthwise C x 1 x kh x kw).
 * Every 1x1 stride-1 convolution runs through an {@link AdaptableLayer} of the same name.
 */
public final class TfliteGraph {
	private static final Set<String> SUFFIXES = Set.of("relu", "relu6", "biasadd", "batchnorm", "batch_norm", "fusedbatchnorm",
			"fusedbatchnormv3", "conv2d");

	private final TfliteModel model;
	private final String prefix;
	private final List<Node> nodes = new ArrayList<>();
	private final Map<Integer, Integer> producer = new HashMap<>();
	private final List<Param> params = new ArrayList<>();
	private final Map<Integer, List<Param>> paramsByOp = new HashMap<>();
	private final List<AdaptableLayer> adaptable = new ArrayList<>();
	private final int input;

	/**
	 * Builds the graph's layers with parameters in {@code paramManager}.
	 *
	 * @throws UserError when the file uses an operator this executor does not implement
	 */
	public TfliteGraph(TfliteModel model, String prefix, NDManager paramManager) {
		this.model = model;
		this.prefix = prefix;
		int[] inputs = model.inputs();
		if (inputs.length != 1) throw new UserError(model.file() + " has " + inputs.length + " inputs; only single-image networks are supported");
		input = inputs[0];
		Set<String> usedNames = new HashSet<>();
		for (OperatorInfo op : model.operators()) {
			nodes.add(build(op, paramManager, usedNames));
			for (int o = 0; o < op.outputCount(); o++) producer.put(op.output(o), op.index());
		}
	}

	public TfliteModel model() {
		return model;
	}

	/** The float input tensor (NHWC in the file). */
	public int inputTensor() {
		return input;
	}

	public List<Param> params() {
		return Collections.unmodifiableList(params);
	}

	public List<AdaptableLayer> adaptableLayers() {
		return Collections.unmodifiableList(adaptable);
	}

	/** Parameters no operator needed for {@code wanted} reads (e.g. the original classifier of a segmenter). */
	public List<Param> paramsNotNeededFor(int[] wanted) {
		BitSet needed = neededOperators(wanted);
		List<Param> unused = new ArrayList<>();
		for (Map.Entry<Integer, List<Param>> e : paramsByOp.entrySet())
			if (!needed.get(e.getKey())) unused.addAll(e.getValue());
		return unused;
	}

	/** Height and width a tensor had in the file (NHWC), or null for a tensor that is not 4-D. */
	public int[] nativeSize(int tensor) {
		TensorInfo t = model.tensor(tensor);
		return t.rank() == 4 ? new int[] { t.dim(1), t.dim(2) } : null;
	}

	/** Channels of a 4-D tensor (NHWC's last axis). */
	public int channels(int tensor) {
		return model.tensor(tensor).dim(3);
	}

	/**
	 * The tensor holding the original classifier's logits: the graph output with trailing argmax, softmax and
	 * (de)quantisation operators stripped.
	 */
	public int logitsTensor() {
		int t = model.outputs()[0];
		while (producer.containsKey(t)) {
			OperatorInfo op = model.operators().get(producer.get(t));
			BuiltinOp k = op.op();
			if (k != BuiltinOp.ARG_MAX && k != BuiltinOp.SOFTMAX && k != BuiltinOp.QUANTIZE && k != BuiltinOp.DEQUANTIZE) break;
			t = op.input(0);
		}
		return t;
	}


	/**
	 * Maps the network's 8-bit image convention to its float input: the input tensor's quantisation where the file
	 * has one (real = scale * (pixel - zero point)), otherwise [0, 255] to [-1, 1].
	 */
	public float[] pixelScaleOffset() {
		TensorInfo t = model.tensor(input);
		if (t.quantization().present())
			return new float[] { t.quantization().scale(0), -t.quantization().scale(0) * t.quantization().zeroPoint(0) };
		return new float[] { 1 / 127.5f, -1f };
	}

	/**
	 * Runs the operators needed for {@code wanted} on {@code x} (N x 3 x H x W float) and returns those tensors by
	 * index, in x's manager. Intermediate arrays are closed as soon as no later operator reads them.
	 */
	public Map<Integer, NDArray> run(NDArray x, int[] wanted, boolean training) {
		BitSet needed = neededOperators(wanted);
		Set<Integer> keep = new HashSet<>();
		for (int w : wanted) keep.add(w);
		Map<Integer, Integer> lastUse = new HashMap<>();
		for (int i = needed.nextSetBit(0); i >= 0; i = needed.nextSetBit(i + 1)) {
			OperatorInfo op = model.operators().get(i);
			for (int in : nodes.get(i).dataInputs(op)) lastUse.put(in, i);
			// a resize reads its reference tensor's size: keep that tensor until then
			Node n = nodes.get(i);
			if (n instanceof ResizeNode) lastUse.put(((ResizeNode) n).reference, i);
		}
		Map<Integer, NDArray> values = new HashMap<>();
		values.put(input, x);
		for (int i = needed.nextSetBit(0); i >= 0; i = needed.nextSetBit(i + 1)) {
			OperatorInfo op = model.operators().get(i);
			NDArray out = nodes.get(i).apply(op, values, training);
			values.put(op.output(0), out);
			for (Map.Entry<Integer, Integer> e : lastUse.entrySet()) {
				int t = e.getKey();
				if (e.getValue() == i && t != input && !keep.contains(t)) {
					NDArray done = values.remove(t);
					if (done != null && done != out) done.close();
				}
			}
		}
		Map<Integer, NDArray> result = new LinkedHashMap<>();
		for (int w : wanted) {
			NDArray v = values.get(w);
			if (v == null) throw new IllegalStateException("tensor " + w + " was not computed");
			result.put(w, v);
		}
		return result;
	}

	private BitSet neededOperators(int[] wanted) {
		BitSet needed = new BitSet();
		List<Integer> stack = new ArrayList<>();
		for (int w : wanted) stack.add(w);
		while (!stack.isEmpty()) {
			int t = stack.remove(stack.size() - 1);
			Integer p = producer.get(t);
			if (p == null || needed.get(p)) {
				if (p == null && t != input) throw new IllegalArgumentException("tensor " + t + " is neither computed nor the input");
				continue;
			}
			needed.set(p);
			OperatorInfo op = model.operators().get(p);
			for (int in : nodes.get(p).dataInputs(op)) stack.add(in);
			if (nodes.get(p) instanceof ResizeNode) stack.add(((ResizeNode) nodes.get(p)).reference);
		}
		return needed;
	}

	// ---- construction --------------------------------------------------------------------------------------------

	private Node build(OperatorInfo op, NDManager pm, Set<String> usedNames) {
		OpOptions o = op.options();
		switch (op.op()) {
			case CONV_2D:
			case DEPTHWISE_CONV_2D:
				return convolution(op, pm, usedNames);
			case ADD:
				return new ElementwiseNode(o.activation);
			case CONCATENATION:
				return new ConcatNode(nchwAxis(o.axis, model.tensor(op.output(0)).rank()), o.activation);
			case RESIZE_BILINEAR:
				return resize(op);
			case AVERAGE_POOL_2D: {
				int[] in = nativeSize(op.input(0));
				if (o.padding != Padding.VALID || o.filterH != in[0] || o.filterW != in[1])
					throw unsupported(op, "average pooling other than over the whole feature map");
				return new GlobalMeanNode(true);
			}
			case MEAN: {
				int[] axes = model.ints(op.input(1));
				Arrays.sort(axes);
				if (!Arrays.equals(axes, new int[] { 1, 2 })) throw unsupported(op, "a mean over axes other than height and width");
				return new GlobalMeanNode(o.keepDims);
			}
			case RESHAPE:
				return new FlattenNode(op, model);
			case SOFTMAX:
				return new SoftmaxNode(o.beta);
			case QUANTIZE:
			case DEQUANTIZE:
				return new IdentityNode();
			default:
				return new UnsupportedNode(op);
		}
	}

	private Node convolution(OperatorInfo op, NDManager pm, Set<String> usedNames) {
		OpOptions o = op.options();
		if (o.strideH != o.strideW || o.dilationH != o.dilationW)
			throw unsupported(op, "different strides or dilations along height and width");
		TensorInfo w = model.tensor(op.input(1));
		float[] values = model.floats(op.input(1));
		boolean depthwise = op.op() == BuiltinOp.DEPTHWISE_CONV_2D;
		int kh = w.dim(1);
		int kw = w.dim(2);
		// TFLite: conv OHWI, depthwise 1 x H x W x (C * multiplier); PyTorch: OIHW and (C * m) x 1 x H x W
		int out = depthwise ? w.dim(3) : w.dim(0);
		int in = depthwise ? 1 : w.dim(3);
		float[] oihw = new float[values.length];
		for (int oc = 0; oc < out; oc++)
			for (int y = 0; y < kh; y++)
				for (int x = 0; x < kw; x++)
					for (int ic = 0; ic < in; ic++) {
						int src = depthwise ? (y * kw + x) * out + oc : ((oc * kh + y) * kw + x) * in + ic;
						oihw[((oc * in + ic) * kh + y) * kw + x] = values[src];
					}
		String layer = uniqueName(layerName(model.tensor(op.output(0)).name()), op.index(), usedNames);
		Param weight = new Param(prefix + "." + layer + ".weight", pm.create(oihw, new Shape(out, in, kh, kw)));
		float[] b = op.inputCount() > 2 && op.input(2) >= 0 ? model.floats(op.input(2)) : new float[out];
		Param bias = new Param(prefix + "." + layer + ".bias", pm.create(b));
		params.add(weight);
		params.add(bias);
		paramsByOp.put(op.index(), List.of(weight, bias));
		int groups = depthwise ? model.tensor(op.input(0)).dim(3) : 1;
		boolean pointwise = !depthwise && kh == 1 && kw == 1 && o.strideH == 1;
		AdaptableLayer dense = null;
		if (pointwise) {
			dense = new AdaptableLayer(prefix + "." + layer, AdaptableLayer.Kind.POINTWISE_CONV2D, weight, bias);
			adaptable.add(dense);
		}
		return new ConvNode(weight, bias, dense, o.strideH, o.dilationH, groups, o.padding == Padding.SAME, o.activation);
	}

	private Node resize(OperatorInfo op) {
		OpOptions o = op.options();
		int[] target = model.ints(op.input(1));
		LinearResize.Mode mode = o.alignCorners ? LinearResize.Mode.ALIGN_CORNERS
				: o.halfPixelCenters ? LinearResize.Mode.HALF_PIXEL : LinearResize.Mode.ASYMMETRIC;
		int reference = sizeReference(op.input(0), target);
		if (reference < 0) throw unsupported(op, "a resize to " + Arrays.toString(target) + ", a size no earlier tensor has");
		return new ResizeNode(mode, reference);
	}

	/** The graph input, or the latest ancestor of {@code from} whose native size is {@code target}. */
	private int sizeReference(int from, int[] target) {
		if (Arrays.equals(nativeSize(input), target)) return input;
		int best = -1;
		int bestOp = -1;
		List<Integer> stack = new ArrayList<>(List.of(from));
		Set<Integer> seen = new HashSet<>();
		while (!stack.isEmpty()) {
			int t = stack.remove(stack.size() - 1);
			if (!seen.add(t)) continue;
			Integer p = producer.get(t);
			if (p == null) continue;
			if (Arrays.equals(nativeSize(t), target) && p > bestOp) {
				best = t;
				bestOp = p;
			}
			OperatorInfo op = model.operators().get(p);
			for (int i = 0; i < op.inputCount(); i++)
				if (op.input(i) >= 0 && !model.hasData(op.input(i))) stack.add(op.input(i));
		}
		return best;
	}

	private UserError unsupported(OperatorInfo op, String what) {
		return new UserError(model.file() + ": operator " + op.index() + " (" + op.op() + ") uses " + what
				+ ", which this project's TFLite executor does not implement; use one of the supported models");
	}

	/** NHWC axis to NCHW axis for 4-D tensors. */
	private static int nchwAxis(int axis, int rank) {
		if (axis < 0) axis += rank;
		if (rank != 4) return axis;
		return new int[] { 0, 2, 3, 1 }[axis];
	}

	static String layerName(String tensorName) {
		String first = tensorName.split(";")[0];
		List<String> parts = new ArrayList<>(Arrays.asList(first.split("/")));
		while (parts.size() > 1 && SUFFIXES.contains(parts.get(parts.size() - 1).toLowerCase())) parts.remove(parts.size() - 1);
		return String.join(".", parts).replaceAll("[^A-Za-z0-9_.]", "_");
	}

	private static String uniqueName(String name, int opIndex, Set<String> used) {
		String n = used.contains(name) ? name + "_op" + opIndex : name;
		used.add(n);
		return n;
	}

	// ---- nodes ---------------------------------------------------------------------------------------------------

	/** One operator's computation. */
	private abstract static class Node {
		abstract NDArray apply(OperatorInfo op, Map<Integer, NDArray> values, boolean training);

		/** Inputs carrying activations (constants such as weights, sizes and axes are not listed). */
		List<Integer> dataInputs(OperatorInfo op) {
			return List.of(op.input(0));
		}
	}

	private static NDArray activate(NDArray x, Activation a) {
		switch (a) {
			case NONE:
				return x;
			case RELU:
				return Ops2d.relu(x);
			case RELU6:
				return Ops2d.relu6(x);
			default:
				throw new UserError("fused activation " + a + " is not supported");
		}
	}

	/** Applies an activation, closing the pre-activation array. */
	private static NDArray activateAndClose(NDArray x, Activation a) {
		if (a == Activation.NONE) return x;
		NDArray y = activate(x, a);
		x.close();
		return y;
	}

	private static final class ConvNode extends Node {
		final Param weight;
		final Param bias;
		final AdaptableLayer dense;
		final int stride;
		final int dilation;
		final int groups;
		final boolean same;
		final Activation activation;

		ConvNode(Param weight, Param bias, AdaptableLayer dense, int stride, int dilation, int groups, boolean same, Activation activation) {
			this.weight = weight;
			this.bias = bias;
			this.dense = dense;
			this.stride = stride;
			this.dilation = dilation;
			this.groups = groups;
			this.same = same;
			this.activation = activation;
		}

		@Override
		NDArray apply(OperatorInfo op, Map<Integer, NDArray> values, boolean training) {
			NDArray x = values.get(op.input(0));
			NDArray y = dense != null ? dense.apply(x, training)
					: Ops2d.conv2d(x, weight.array(), bias.array(), stride, dilation, groups, same);
			return activateAndClose(y, activation);
		}
	}

	private static final class ElementwiseNode extends Node {
		final Activation activation;

		ElementwiseNode(Activation activation) {
			this.activation = activation;
		}

		@Override
		NDArray apply(OperatorInfo op, Map<Integer, NDArray> values, boolean training) {
			return activateAndClose(values.get(op.input(0)).add(values.get(op.input(1))), activation);
		}

		@Override
		List<Integer> dataInputs(OperatorInfo op) {
			return List.of(op.input(0), op.input(1));
		}
	}

	private static final class ConcatNode extends Node {
		final int axis;
		final Activation activation;

		ConcatNode(int axis, Activation activation) {
			this.axis = axis;
			this.activation = activation;
		}

		@Override
		NDArray apply(OperatorInfo op, Map<Integer, NDArray> values, boolean training) {
			NDList parts = new NDList();
			for (int i = 0; i < op.inputCount(); i++) parts.add(values.get(op.input(i)));
			return activateAndClose(ai.djl.ndarray.NDArrays.concat(parts, axis), activation);
		}

		@Override
		List<Integer> dataInputs(OperatorInfo op) {
			List<Integer> in = new ArrayList<>();
			for (int i = 0; i < op.inputCount(); i++) in.add(op.input(i));
			return in;
		}
	}

	private static final class ResizeNode extends Node {
		final LinearResize.Mode mode;
		final int reference;

		ResizeNode(LinearResize.Mode mode, int reference) {
			this.mode = mode;
			this.reference = reference;
		}

		@Override
		NDArray apply(OperatorInfo op, Map<Integer, NDArray> values, boolean training) {
			Shape s = values.get(reference).getShape();
			return Resize2d.bilinear(values.get(op.input(0)), (int) s.get(2), (int) s.get(3), mode);
		}
	}

	private static final class GlobalMeanNode extends Node {
		final boolean keepDims;

		GlobalMeanNode(boolean keepDims) {
			this.keepDims = keepDims;
		}

		@Override
		NDArray apply(OperatorInfo op, Map<Integer, NDArray> values, boolean training) {
			NDArray m = Ops2d.globalMean(values.get(op.input(0)));
			if (keepDims) return m;
			NDArray flat = m.reshape(m.getShape().get(0), m.getShape().get(1));
			m.close();
			return flat;
		}
	}

	/** A reshape that only drops or adds unit axes around the channels, where NHWC and NCHW agree. */
	private static final class FlattenNode extends Node {
		final long channels;

		FlattenNode(OperatorInfo op, TfliteModel model) {
			TensorInfo out = model.tensor(op.output(0));
			TensorInfo in = model.tensor(op.input(0));
			long inner = in.size() / in.dim(0);
			if (out.rank() != 2 || out.dim(1) != inner || in.dim(in.rank() - 1) != inner)
				throw new UserError(model.file() + ": operator " + op.index() + " reshapes " + in + " to " + out
						+ ", which this project's TFLite executor does not implement");
			channels = inner;
		}

		@Override
		NDArray apply(OperatorInfo op, Map<Integer, NDArray> values, boolean training) {
			NDArray x = values.get(op.input(0));
			return x.reshape(x.getShape().get(0), channels);
		}
	}

	private static final class SoftmaxNode extends Node {
		final float beta;

		SoftmaxNode(float beta) {
			this.beta = beta;
		}

		@Override
		NDArray apply(OperatorInfo op, Map<Integer, NDArray> values, boolean training) {
			return values.get(op.input(0)).mul(beta).softmax(1);
		}
	}

	private static final class IdentityNode extends Node {
		@Override
		NDArray apply(OperatorInfo op, Map<Integer, NDArray> values, boolean training) {
			// a copy that stays in the autograd graph (DJL's duplicate() detaches, which cut gradients here); adding a
			// number is safe where multiplying is not, see org.mnseg.nn.EngineScalar
			return values.get(op.input(0)).add(0f);
		}
	}

	/** Built for operators outside the executor's set; fails only if a run actually needs them (e.g. ARG_MAX). */
	private final class UnsupportedNode extends Node {
		final OperatorInfo op;

		UnsupportedNode(OperatorInfo op) {
			this.op = op;
		}

		@Override
		NDArray apply(OperatorInfo o, Map<Integer, NDArray> values, boolean training) {
			throw unsupported(op, "operator code " + op.code());
		}
	}
}
