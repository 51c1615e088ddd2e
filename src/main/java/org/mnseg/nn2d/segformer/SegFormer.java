package org.mnseg.nn2d.segformer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mnseg.nn.AbstractNetwork;
import org.mnseg.nn.AdaptableLayer;
import org.mnseg.nn.FineTunable;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;
import org.mnseg.nn2d.StrideHead;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;

/**
 * SegFormer (Xie et al. 2021) as M&N's default 2-D network, computing what Hugging Face's
 * {@code SegformerForSemanticSegmentation} computes in evaluation mode, with its parameter names (state_dict keys).
 *
 * <p>As a segmentation {@link Network} it follows the M&N reference code: the pretrained classifier is dropped, the
 * decoder's fused features (decoder_hidden_size channels at stride 4: 256 for B0/B1, 768 for B2..B5) pass Hugging
 * Face's classifier dropout, are concatenated with the network's 3-channel input sampled every 4 pixels, and a
 * {@link StrideHead} (ConvTranspose2d, kernel = stride = 4) maps them to class logits at the input's size. A
 * 1-channel input is repeated to 3 channels; ImageNet mean/std scaling is optional (off in the reference code) and
 * recorded in {@link #config()}.
 *
 * <p>Training mode: stochastic depth (drop path, rate growing linearly to {@code drop_path_rate}) and the dropout
 * before the head are active, as in PyTorch; the decode head's BatchNorm uses batch statistics and updates its
 * running statistics ({@link DecoderBatchNorm} explains why). Attention and hidden dropout are 0 in every published
 * config and are not implemented.
 *
 * <p>Every linear layer and 1x1 convolution is an {@link AdaptableLayer} named by its Hugging Face module path, so
 * LoRA adapters attach by name; {@link #loraTargets()} lists the reference code's targets.
 *
 * <p>Parts for fine-tuning ({@link FineTunable}): {@code segformer.encoder.*} is the encoder, {@code decode_head.*}
 * the decoder (its BatchNorm running statistics are fixed), {@code head.*} the head; normalisation parameters are
 * the LayerNorms ({@code *.layer_norm*}) and the decode head's BatchNorm affine ({@code decode_head.batch_norm}).
 */
public final class SegFormer extends AbstractNetwork implements FineTunable {
	/** Architecture name of a network whose sizes are not one of the presets (its sizes are in its config). */
	public static final String CUSTOM_ARCHITECTURE = "segformer";
	private static final double INIT_STD = 0.02; // Hugging Face's initializer_range
	private static final float[] IMAGENET_MEAN = { 0.485f, 0.456f, 0.406f };
	private static final float[] IMAGENET_STD = { 0.229f, 0.224f, 0.225f };
	private static final String ENCODER_PREFIX = "segformer.encoder.";
	private static final String DECODER_PREFIX = "decode_head.";

	private final SegFormerConfig config;
	private final boolean imagenetNormalization;
	private final ParamSet params;
	private final MixTransformer encoder;
	private final DecodeHead decoder;
	private final StrideHead head;
	private final long seed;
	private AdaptableLayer classifier;

	/**
	 * A freshly initialised network (Hugging Face's initialisation: N(0, 0.02^2) weights, zero biases, unit norms)
	 * whose parameters live in a new sub-manager of {@code parent}.
	 *
	 * @param inChannels channels of the slices given to {@link #forward}: 1 (repeated to 3) or the config's channels
	 * @param numClasses classes of the segmentation head
	 * @param imagenetNormalization whether to scale the 3-channel input by ImageNet's mean and std first
	 * @throws UserError for impossible sizes
	 */
	public SegFormer(SegFormerConfig config, int inChannels, int numClasses, boolean imagenetNormalization,
			NDManager parent, long seed) {
		super(2, inChannels, numClasses, checked(config, inChannels, numClasses, imagenetNormalization, parent));
		this.config = config;
		this.imagenetNormalization = imagenetNormalization;
		this.seed = seed;
		this.params = new ParamSet(manager(), seed);
		this.encoder = new MixTransformer(params, config, INIT_STD);
		this.decoder = new DecodeHead(params, config, INIT_STD);
		this.head = new StrideHead("head", config.decoderHiddenSize, config.numChannels, numClasses,
				config.firstStride(), manager(), seed);
		this.classifier = newClassifier(config.numLabels);
	}

	/** {@code parent}, once the sizes are checked. */
	private static NDManager checked(SegFormerConfig config, int inChannels, int numClasses, boolean imagenetNormalization, NDManager parent) {
		if (inChannels != 1 && inChannels != config.numChannels)
			throw new UserError("SegFormer takes 1-channel slices or " + config.numChannels + "-channel images, not "
					+ inChannels + " channels");
		if (numClasses < 1)
			throw new UserError("SegFormer needs at least one class, got " + numClasses);
		if (imagenetNormalization && config.numChannels != 3)
			throw new UserError("ImageNet normalisation needs a 3-channel SegFormer, this one has " + config.numChannels);
		return parent;
	}

	/** Hugging Face's classifier, used only by {@link #forwardStages}; its parameters are not in {@link #params()}. */
	private AdaptableLayer newClassifier(int labels) {
		return DecodeHead.classifier(new ParamSet(manager(), seed + 1), config.decoderHiddenSize, labels, INIT_STD);
	}

	/**
	 * Loads Hugging Face weights ({@code model.safetensors} and its {@code config.json}) by parameter name. The
	 * config must describe this network's sizes. Every tensor of the file must be used and every parameter found
	 * (BatchNorm's {@code num_batches_tracked} is read and ignored). An encoder-only checkpoint (ImageNet {@code
	 * nvidia/mit-bN}: no {@code decode_head.*}, an image {@code classifier.*}) loads the encoder and leaves the
	 * decoder at its initialisation. Nothing is changed unless the whole file fits.
	 *
	 * @return names of the parameters left at their initial values (always the M&N head's)
	 * @throws UserError naming missing and unexpected keys, wrong shapes, or a config of other sizes
	 */
	public List<String> loadHuggingFace(Path safetensors, Path configJson) {
		SegFormerConfig file = SegFormerConfig.fromJson(configJson);
		if (!file.sameLayers(config))
			throw new UserError(configJson + " describes a SegFormer of other sizes than this " + architecture()
					+ " network: " + file.toMap() + " versus " + config.toMap()
					+ ". Choose the architecture that matches the checkpoint");
		return HuggingFaceWeights.load(this, safetensors, file.numLabels);
	}

	/**
	 * Loads a Hugging Face {@code model.safetensors} without its config.json, as training does with the registry's
	 * checkpoints: the sizes are this network's (every tensor's name and shape must fit, so a checkpoint of another
	 * size is refused), the label count is the file's classifier's. Otherwise as {@link #loadHuggingFace(Path, Path)}.
	 */
	public List<String> loadHuggingFace(Path safetensors) {
		return HuggingFaceWeights.load(this, safetensors, null);
	}

	/** Replaces Hugging Face's classifier by one for {@code labels} labels (before loading its weights). */
	AdaptableLayer replaceClassifier(int labels) {
		if (classifier.outFeatures() != labels) {
			classifier.weight().array().close();
			classifier.bias().array().close();
			classifier = newClassifier(labels);
		}
		return classifier;
	}

	AdaptableLayer classifier() {
		return classifier;
	}

	List<Param> headParams() {
		return head.params();
	}

	DecoderBatchNorm decoderBatchNorm() {
		return decoder.batchNorm();
	}

	/**
	 * Hugging Face's evaluation forward pass, for comparison with reference outputs.
	 *
	 * @param input B x C x H x W with C = 1 or the config's channels
	 * @return the stage outputs (B x C_s x H_s x W_s, after each stage's final LayerNorm) followed by Hugging Face's
	 *         classifier logits at the first stage's size (not upsampled), all in the input's manager
	 */
	public NDList forwardStages(NDArray input) {
		NDArray x = prepare(input);
		List<MixTransformer.StageOutput> stages = encoder.apply(x, false);
		NDArray fused = decoder.fuse(stages, false);
		NDList out = new NDList();
		for (MixTransformer.StageOutput s : stages) {
			out.add(s.image());
			s.tokens().close();
		}
		out.add(classifier.apply(fused, false));
		fused.close();
		if (x != input)
			x.close();
		return out;
	}

	@Override
	public NDArray forward(NDArray input, boolean training) {
		checkInput(input);
		NDArray x = prepare(input);
		List<MixTransformer.StageOutput> stages = encoder.apply(x, training);
		NDArray fused = decoder.fuse(stages, training);
		for (MixTransformer.StageOutput s : stages) {
			s.tokens().close();
			s.image().close();
		}
		if (training && config.classifierDropout > 0) {
			NDArray dropped = Dropout.dropout(fused, (float) config.classifierDropout, true).singletonOrThrow();
			fused.close();
			fused = dropped;
		}
		NDArray logits = head.apply(fused, x);
		fused.close();
		if (x != input)
			x.close();
		return logits;
	}

	/** Repeats a 1-channel slice to the encoder's channels and applies the optional ImageNet scaling. */
	private NDArray prepare(NDArray input) {
		long channels = input.getShape().get(1);
		if (channels != 1 && channels != config.numChannels)
			throw new IllegalArgumentException("SegFormer expects N x 1 or N x " + config.numChannels
					+ " x H x W, got " + input.getShape());
		NDArray x = channels == 1 ? input.tile(new long[] { 1, config.numChannels, 1, 1 }) : input;
		if (!imagenetNormalization)
			return x;
		NDManager m = input.getManager();
		NDArray mean = m.create(IMAGENET_MEAN, new Shape(1, 3, 1, 1));
		NDArray std = m.create(IMAGENET_STD, new Shape(1, 3, 1, 1));
		NDArray scaled = x.sub(mean).div(std);
		mean.close();
		std.close();
		if (x != input)
			x.close();
		return scaled;
	}

	private void checkInput(NDArray input) {
		Shape s = input.getShape();
		if (s.dimension() != 4 || s.get(1) != inChannels())
			throw new IllegalArgumentException("SegFormer expects N x " + inChannels() + " x H x W, got " + s);
		int stride = config.firstStride();
		if (s.get(2) % stride != 0 || s.get(3) % stride != 0)
			throw new UserError("SegFormer needs slice sizes that are multiples of " + stride + ", but the input is "
					+ s.get(3) + " x " + s.get(2) + " (x, y): choose a patch size divisible by " + stride);
	}

	/** Every linear layer and 1x1 convolution of the segmentation network, named by Hugging Face module path. */
	public List<AdaptableLayer> adaptableLayers() {
		return params.denseLayers();
	}

	/**
	 * The reference code's LoRA targets: the encoder's attention query, key, value and output dense layers and the
	 * Mix-FFN dense1 and dense2 layers.
	 */
	@Override
	public List<AdaptableLayer> loraTargets() {
		List<AdaptableLayer> targets = new ArrayList<>();
		for (AdaptableLayer layer : params.denseLayers())
			if (isLoraTarget(layer.name()))
				targets.add(layer);
		return targets;
	}

	/** Whether a layer name is one of the reference code's LoRA targets. */
	public static boolean isLoraTarget(String layerName) {
		return layerName.startsWith("segformer.encoder.") && (layerName.endsWith(".attention.self.query")
				|| layerName.endsWith(".attention.self.key") || layerName.endsWith(".attention.self.value")
				|| layerName.endsWith(".attention.output.dense") || layerName.endsWith(".mlp.dense1")
				|| layerName.endsWith(".mlp.dense2"));
	}

	@Override
	public Part part(Param param) {
		String name = param.name();
		if (name.startsWith(ENCODER_PREFIX))
			return Part.ENCODER;
		if (name.startsWith(DECODER_PREFIX)) {
			DecoderBatchNorm bn = decoder.batchNorm();
			return param == bn.runningMean() || param == bn.runningVar() ? Part.FIXED : Part.DECODER;
		}
		if (head.params().contains(param))
			return Part.HEAD;
		throw new IllegalArgumentException("'" + name + "' is not a parameter of this " + architecture() + " network");
	}

	@Override
	public boolean isNormalization(Param param) {
		if (part(param) == Part.FIXED)
			return false;
		for (String module : param.name().split("\\."))
			if (module.startsWith("layer_norm") || module.equals("batch_norm"))
				return true;
		return false;
	}

	/** The decode head is pretrained in the reference code's checkpoint (ADE20K); see {@link #loadHuggingFace}. */
	@Override
	public boolean hasPretrainedDecoder() {
		return true;
	}

	public SegFormerConfig segformerConfig() {
		return config;
	}

	public boolean imagenetNormalization() {
		return imagenetNormalization;
	}

	@Override
	public String architecture() {
		String preset = config.presetName();
		return preset == null ? CUSTOM_ARCHITECTURE : CUSTOM_ARCHITECTURE + "-" + preset;
	}

	@Override
	public Map<String, Object> config() {
		Map<String, Object> c = new LinkedHashMap<>();
		c.put("in_channels", inChannels());
		c.put("num_classes", numClasses());
		c.put("imagenet_normalization", imagenetNormalization);
		c.put("drop_path_rate", config.dropPathRate);
		c.put("classifier_dropout_prob", config.classifierDropout);
		if (config.presetName() == null) {
			Map<String, Object> sizes = config.toMap();
			for (String key : SegFormerFactory.SIZE_KEYS)
				c.put(key, sizes.get(key));
		}
		return Collections.unmodifiableMap(c);
	}




	@Override
	public List<Param> params() {
		List<Param> all = new ArrayList<>(params.list());
		all.addAll(head.params());
		return Collections.unmodifiableList(all);
	}

	/** The encoder and decoder parameters with Hugging Face's names, in state_dict order (no M&N head). */
	List<Param> huggingFaceParams() {
		return params.list();
	}

}
