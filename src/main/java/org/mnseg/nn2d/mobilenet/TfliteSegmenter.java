package org.mnseg.nn2d.mobilenet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mnseg.nn.AbstractNetwork;
import org.mnseg.nn.AdaptableLayer;
import org.mnseg.nn.FineTunable;
import org.mnseg.nn.Param;
import org.mnseg.nn2d.SliceZoom;
import org.mnseg.nn2d.StrideHead;
import org.mnseg.pretrained.PretrainedModel;
import org.mnseg.pretrained.tflite.BuiltinOp;
import org.mnseg.pretrained.tflite.OperatorInfo;
import org.mnseg.pretrained.tflite.TfliteModel;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A pretrained TFLite network turned into an M&N 2-D segmenter: its classifier is dropped, and the features that fed
 * it (at stride s) go through a {@link StrideHead} to {@code numClasses} logits at the input's resolution. A 1-channel
 * slice is repeated to 3 channels and scaled as {@link InputScaling} says; the head sees the repeated slice unscaled.
 * The original classifier stays available through {@link #classifierLogits} (exactness checks).
 *
 * <p>Parts for fine-tuning ({@link FineTunable}): the encoder is every pretrained operator up to the backbone's
 * output (the input of the graph's first global pooling, DeepLab's image-pooling branch or MobileNetV2's classifier
 * pooling); the rest of the pretrained graph that the segmentation uses (ASPP, DeepLab decoder) and the parameters
 * a subclass adds are the decoder; the original classifier is fixed. Batch norm is folded into the convolutions, so
 * no parameter is a normalisation. LoRA targets are the encoder's pointwise convolutions.
 */
public abstract class TfliteSegmenter extends AbstractNetwork implements FineTunable {
	private final String architecture;
	private final PretrainedModel weights;
	private final TfliteGraph graph;
	private final InputScaling scaling;
	private final List<Param> extraParams = new ArrayList<>();
	/** The pretrained parameters segmentation does not use (identity set). */
	private final Set<Param> unused = new HashSet<>();
	/** The backbone's parameters (identity set), found on first use. */
	private Set<Param> encoder;
	private StrideHead head;
	/** Slices are enlarged by this factor before the network (see {@link SliceZoom}); 1 leaves them as they are. */
	private int sliceZoom = 1;
	/** The checked .tflite the weights came from; see {@link #pretrainedFile()}. */
	private Path sourceFile;

	protected TfliteSegmenter(String architecture, PretrainedModel weights, TfliteModel model, NDManager parent, int inChannels,
			int numClasses, InputScaling scaling) {
		super(2, inChannels, numClasses, checked(architecture, parent, inChannels, numClasses));
		this.architecture = architecture;
		this.weights = weights;
		this.scaling = scaling;
		this.graph = new TfliteGraph(model, "encoder", manager());
	}

	/** {@code parent}, once the sizes are checked. */
	private static NDManager checked(String architecture, NDManager parent, int inChannels, int numClasses) {
		if (inChannels != 1 && inChannels != 3)
			throw new UserError(architecture + " takes 1-channel (repeated to RGB) or 3-channel slices, not in_channels=" + inChannels);
		if (numClasses < 1) throw new UserError(architecture + ": num_classes must be at least 1, got " + numClasses);
		return parent;
	}

	/**
	 * Freezes the pretrained parameters that segmentation does not use (the original classifier): they get no
	 * gradient and the optimiser leaves them alone, but stay for {@link #classifierLogits}.
	 */
	protected final void freezeAllBut(int[] featureTensors) {
		for (Param p : graph.paramsNotNeededFor(featureTensors)) {
			p.setTrainable(false);
			unused.add(p);
		}
	}

	/**
	 * Sets the {@link SliceZoom} factor, at least 1 as {@link Pretrained2dFactory#options} checked it; part of the
	 * architecture, so recorded in {@link #config()}.
	 */
	final void setSliceZoom(int factor) {
		this.sliceZoom = factor;
	}

	/** Records the checked file the pretrained weights were read from (the factory knows it, the layers do not). */
	final void setSourceFile(Path file) {
		this.sourceFile = file;
	}

	@Override
	public Optional<PretrainedFile> pretrainedFile() {
		return Optional.ofNullable(sourceFile).map(f -> new PretrainedFile(weights.fileName(), f));
	}

	/** Adds the head once the subclass knows its features' channels and stride. */
	protected final void initHead(int featureChannels, int stride, long seed) {
		head = new StrideHead("head", featureChannels, 3, numClasses(), stride, manager(), seed);
	}

	/** Parameters the subclass adds (a decoder), registered in creation order. */
	protected final void addParams(List<Param> p) {
		extraParams.addAll(p);
	}

	public TfliteGraph graph() {
		return graph;
	}

	/** Features at the head's stride, N x F x H/s x W/s, from the 3-channel scaled input. */
	protected abstract NDArray features(NDArray rgb, boolean training);

	/** The stride of the features the head receives; input sizes must be multiples of it. */
	public int stride() {
		return head.stride();
	}

	/** The factor every slice side must be a multiple of (the deepest stride the network reaches). */
	public int sizeDivisor() {
		return stride();
	}

	/** The published graphs have their batch norms folded into the convolutions; decoders added here use instance norm. */
	@Override
	public boolean samplesIndependentInTraining() {
		return true;
	}

	/** Runs the pretrained graph up to one tensor. */
	protected final NDArray runTo(NDArray rgb, int tensor, boolean training) {
		return graph.run(rgb, new int[] { tensor }, training).get(tensor);
	}

	@Override
	public String architecture() {
		return architecture;
	}

	@Override
	public Map<String, Object> config() {
		Map<String, Object> c = new LinkedHashMap<>();
		c.put("in_channels", inChannels());
		c.put("num_classes", numClasses());
		c.put("input_scaling", scaling.key());
		c.put("weights", weights.id());
		if (sliceZoom != 1) c.put(SliceZoom.OPTION, sliceZoom);
		return c;
	}




	@Override
	public NDArray forward(NDArray input, boolean training) {
		Shape s = input.getShape();
		if (s.dimension() != 4 || s.get(1) != inChannels())
			throw new IllegalArgumentException(architecture + " expects N x " + inChannels() + " x H x W, got " + s);
		int divisor = SliceZoom.inputDivisor(sizeDivisor(), sliceZoom);
		if (s.get(2) % divisor != 0 || s.get(3) % divisor != 0)
			throw new UserError(architecture + " needs slice sizes that are multiples of " + divisor + ", got " + s.get(3) + " x "
					+ s.get(2) + ": choose a patch size divisible by " + divisor);
		NDArray zoomed = sliceZoom == 1 ? input : SliceZoom.enlarge(input, sliceZoom);
		NDArray rgb = inChannels() == 1 ? zoomed.repeat(1, 3) : zoomed;
		NDArray scaled = scaling.apply(rgb);
		NDArray f = features(scaled, training);
		NDArray logits = head.apply(f, rgb);
		f.close();
		if (scaled != rgb) scaled.close();
		if (rgb != zoomed) rgb.close();
		if (zoomed == input) return logits;
		zoomed.close();
		NDArray shrunk = SliceZoom.shrink(logits, sliceZoom);
		logits.close();
		return shrunk;
	}

	/** The original network's output (N x classes x H x W, or N x classes) for an input in its native range. */
	public NDArray classifierLogits(NDArray rgb) {
		int t = graph.logitsTensor();
		return graph.run(rgb, new int[] { t }, false).get(t);
	}

	@Override
	public List<Param> params() {
		List<Param> all = new ArrayList<>(graph.params());
		all.addAll(extraParams);
		all.addAll(head.params());
		return Collections.unmodifiableList(all);
	}

	/** Every 1x1 convolution of the pretrained network (LoRA targets). */
	public List<AdaptableLayer> adaptableLayers() {
		return graph.adaptableLayers();
	}

	@Override
	public Part part(Param param) {
		if (unused.contains(param)) return Part.FIXED;
		if (head.params().contains(param)) return Part.HEAD;
		if (encoderParams().contains(param)) return Part.ENCODER;
		if (graph.params().contains(param) || extraParams.contains(param)) return Part.DECODER;
		throw new IllegalArgumentException("'" + param.name() + "' is not a parameter of this " + architecture + " network");
	}

	/** Batch norm is folded into the pretrained convolutions; the decoders added here normalise without affine. */
	@Override
	public boolean isNormalization(Param param) {
		return false;
	}

	/** The pretrained networks' own decoders (DeepLab's) are pretrained; a subclass that adds one says otherwise. */
	@Override
	public boolean hasPretrainedDecoder() {
		return true;
	}

	/** The encoder's pointwise convolutions (the original classifier and DeepLab's decoder are not targets). */
	@Override
	public List<AdaptableLayer> loraTargets() {
		List<AdaptableLayer> targets = new ArrayList<>();
		for (AdaptableLayer layer : graph.adaptableLayers())
			if (encoderParams().contains(layer.weight())) targets.add(layer);
		return targets;
	}

	private Set<Param> encoderParams() {
		if (encoder == null) {
			Set<Param> outside = new HashSet<>(graph.paramsNotNeededFor(new int[] { backboneOutput(graph) }));
			encoder = new HashSet<>();
			for (Param p : graph.params())
				if (!outside.contains(p) && !unused.contains(p)) encoder.add(p);
		}
		return encoder;
	}

	/** The backbone's output: the input of the first global pooling, or the graph's logits where none pools. */
	private static int backboneOutput(TfliteGraph g) {
		for (OperatorInfo op : g.model().operators())
			if (op.op() == BuiltinOp.MEAN || op.op() == BuiltinOp.AVERAGE_POOL_2D) return op.input(0);
		return g.logitsTensor();
	}


	/**
	 * The features the classifier reads: the input of the last convolution, or, where that convolution follows a
	 * global pooling (a plain classifier), the pooling's input.
	 */
	static int classifierFeatures(TfliteGraph g) {
		OperatorInfo last = null;
		for (OperatorInfo op : g.model().operators())
			if (op.op() == BuiltinOp.CONV_2D) last = op;
		int t = last.input(0);
		for (OperatorInfo op : g.model().operators())
			if (op.output(0) == t && (op.op() == BuiltinOp.MEAN || op.op() == BuiltinOp.AVERAGE_POOL_2D)) return op.input(0);
		return t;
	}

	/** The power-of-two stride s with ceil(input / s) = feature size, in the file's native sizes. */
	static int nativeStride(TfliteGraph g, int tensor) {
		int in = g.nativeSize(g.inputTensor())[0];
		int f = g.nativeSize(tensor)[0];
		for (int s = 1; s <= 64; s *= 2)
			if ((in + s - 1) / s == f) return s;
		throw new UserError(g.model().file() + ": tensor " + g.model().tensor(tensor).name() + " is not at a power-of-two stride");
	}
}
