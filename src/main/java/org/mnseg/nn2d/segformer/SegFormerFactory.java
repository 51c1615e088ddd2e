package org.mnseg.nn2d.segformer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mnseg.pretrained.PretrainedModel;
import org.mnseg.pretrained.PretrainedModels;

import org.mnseg.util.OptionMap;
import org.mnseg.util.UserError;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import ai.djl.ndarray.NDManager;

/**
 * Builds SegFormer networks from an architecture name and a configuration map (as recorded by
 * {@link SegFormer#config()} in bundles, or given by the user; JSON numbers may arrive as Double).
 *
 * <p>Architectures: {@code segformer-b0} .. {@code segformer-b5} (the published MiT sizes), and {@code segformer}
 * with explicit sizes in Hugging Face's names ({@link #SIZE_KEYS}). Options: {@code num_classes} (required),
 * {@code in_channels} (1 or 3, default 1), {@code imagenet_normalization} (default false, as the reference code),
 * {@code drop_path_rate} and {@code classifier_dropout_prob} (default 0.1 each, as Hugging Face), and {@code weights}:
 * the published checkpoint a training run starts from ({@link #weightsOf}).
 *
 * <p>The factory builds the network with its initialisation only: training loads the checkpoint afterwards
 * ({@link SegFormer#loadHuggingFace(java.nio.file.Path)}, see {@code workflow.Pretrained2dStart}), and a model bundle
 * overwrites every parameter with its trained values, so opening a bundle never needs the checkpoint.
 */
public final class SegFormerFactory {
	/** The size options of the custom {@code segformer} architecture. */
	public static final List<String> SIZE_KEYS = List.of("num_channels", "hidden_sizes", "depths", "num_attention_heads",
			"sr_ratios", "patch_sizes", "strides", "mlp_ratios", "decoder_hidden_size");
	private static final List<String> OPTIONS = List.of("in_channels", "num_classes", "imagenet_normalization",
			"drop_path_rate", "classifier_dropout_prob", "weights");

	private SegFormerFactory() {
	}

	/** The architecture names this factory builds. */
	public static List<String> architectures() {
		List<String> names = new ArrayList<>();
		for (String p : SegFormerConfig.PRESETS)
			names.add(SegFormer.CUSTOM_ARCHITECTURE + "-" + p);
		names.add(SegFormer.CUSTOM_ARCHITECTURE);
		return names;
	}

	public static boolean builds(String architecture) {
		return architectures().contains(architecture);
	}

	/**
	 * The published checkpoint a {@code segformer-bN} network starts from: the option {@code weights} names it by
	 * registry id, either the ADE20K-finetuned SegFormer of that size (the default, as the M&amp;N reference code) or the
	 * ImageNet MiT encoder of that size ({@code mit-bN}, the decoder then starts from its initialisation). The custom
	 * {@code segformer} has no published checkpoint (empty).
	 *
	 * @throws UserError for a {@code weights} id that is not one of the two of this size
	 */
	public static Optional<PretrainedModel> weightsOf(String architecture, Map<String, Object> config) {
		Object id = config == null ? null : config.get("weights");
		int size = SegFormerConfig.PRESETS.indexOf(architecture.substring(Math.min(architecture.length(), SegFormer.CUSTOM_ARCHITECTURE.length() + 1)));
		if (!builds(architecture) || size < 0) {
			if (id != null)
				throw new UserError("Network " + architecture + " has custom sizes, for which no weights are published: leave out the option 'weights' "
						+ "(a checkpoint of these sizes can be given with --weights2d FILE)");
			return Optional.empty();
		}
		PretrainedModel ade = PretrainedModels.SEGFORMER_ADE20K.get(size), mit = PretrainedModels.MIT_IMAGENET.get(size);
		if (id == null || id.equals(ade.id())) return Optional.of(ade);
		if (id.equals(mit.id())) return Optional.of(mit);
		throw new UserError("Network " + architecture + " starts from '" + ade.id() + "' (ADE20K, the default) or '" + mit.id()
				+ "' (ImageNet encoder), not '" + id + "'");
	}

	/**
	 * A freshly initialised SegFormer whose parameters live in a new sub-manager of {@code parent}; pretrained
	 * weights are loaded afterwards with {@link SegFormer#loadHuggingFace}.
	 *
	 * @throws UserError for an unknown architecture or option, or a missing or malformed value
	 */
	public static SegFormer create(String architecture, Map<String, Object> config, NDManager parent, long seed) {
		Options options = options(architecture, config);
		OptionMap o = new OptionMap(config, "network " + architecture);
		return new SegFormer(options.sizes(), o.integer("in_channels", 1), o.integer("num_classes", null), options.imagenetNormalization(), parent, seed);
	}

	/** The options a SegFormer of this architecture takes: the custom one takes its sizes too. */
	public static Set<String> optionNames(String architecture) {
		Set<String> known = new LinkedHashSet<>(OPTIONS);
		if (architecture.equals(SegFormer.CUSTOM_ARCHITECTURE))
			known.addAll(SIZE_KEYS);
		return known;
	}

	/** The options of a SegFormer other than the data's channel and class counts, read and checked. */
	public record Options(SegFormerConfig sizes, boolean imagenetNormalization) {
	}

	/**
	 * Reads and checks a SegFormer's options other than {@code in_channels} and {@code num_classes}, refusing unknown
	 * ones, a wrong {@code weights} id and missing custom sizes; needs no engine, so a training plan checks
	 * {@code --options2d} with it before any volume is read.
	 */
	public static Options options(String architecture, Map<String, Object> config) {
		if (!builds(architecture))
			throw new UserError("Unknown network architecture '" + architecture + "': use one of " + architectures());
		Map<String, Object> c = config == null ? Map.of() : config;
		boolean custom = architecture.equals(SegFormer.CUSTOM_ARCHITECTURE);
		OptionMap o = new OptionMap(c, "network " + architecture).requireKnown(optionNames(architecture));
		weightsOf(architecture, c); // a wrong id is refused here too
		SegFormerConfig sizes;
		if (custom) {
			JsonObject json = new JsonObject();
			for (String key : SIZE_KEYS) {
				if (!c.containsKey(key) && !key.equals("num_channels"))
					throw new UserError("Network " + architecture + " needs the option '" + key + "'");
				if (c.containsKey(key))
					json.add(key, new Gson().toJsonTree(c.get(key)));
			}
			json.addProperty("num_labels", 150);
			sizes = SegFormerConfig.fromJson(json, "the options of network " + architecture);
		} else {
			sizes = SegFormerConfig.preset(architecture.substring(SegFormer.CUSTOM_ARCHITECTURE.length() + 1));
		}
		sizes = sizes.withDropout(o.number("drop_path_rate", sizes.dropPathRate()), o.number("classifier_dropout_prob", sizes.classifierDropout()));
		return new Options(sizes, o.flag("imagenet_normalization", false));
	}
}
