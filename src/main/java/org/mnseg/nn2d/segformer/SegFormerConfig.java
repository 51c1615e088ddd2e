package org.mnseg.nn2d.segformer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The hyper-parameters of a SegFormer (Mix Transformer encoder + all-MLP decoder), with the names and meaning of
 * Hugging Face's {@code SegformerConfig} ({@code config.json}), and the published MiT-B0..B5 sizes as presets.
 *
 * <p>{@code layer_norm_eps} is kept only to be reported: Hugging Face builds every LayerNorm with PyTorch's default
 * eps 1e-5 and never reads this field (the original NVlabs code uses 1e-6 for the block norms), so the network uses
 * {@link #LAYER_NORM_EPS} to reproduce Hugging Face's outputs.
 */
public final class SegFormerConfig {
	/** The eps of every LayerNorm as Hugging Face constructs them ({@code nn.LayerNorm(size)}). */
	public static final float LAYER_NORM_EPS = 1e-5f;
	/** The eps of the decode head's BatchNorm ({@code nn.BatchNorm2d(size)}). */
	public static final float BATCH_NORM_EPS = 1e-5f;
	/** Preset names, smallest first. */
	public static final List<String> PRESETS = List.of("b0", "b1", "b2", "b3", "b4", "b5");

	final int numChannels;
	final int[] hiddenSizes;
	final int[] depths;
	final int[] numHeads;
	final int[] srRatios;
	final int[] patchSizes;
	final int[] strides;
	final int[] mlpRatios;
	final int decoderHiddenSize;
	final int numLabels;
	final double layerNormEps;
	final double dropPathRate;
	final double classifierDropout;

	SegFormerConfig(int numChannels, int[] hiddenSizes, int[] depths, int[] numHeads, int[] srRatios, int[] patchSizes,
			int[] strides, int[] mlpRatios, int decoderHiddenSize, int numLabels, double layerNormEps, double dropPathRate,
			double classifierDropout) {
		this.numChannels = numChannels;
		this.hiddenSizes = hiddenSizes.clone();
		this.depths = depths.clone();
		this.numHeads = numHeads.clone();
		this.srRatios = srRatios.clone();
		this.patchSizes = patchSizes.clone();
		this.strides = strides.clone();
		this.mlpRatios = mlpRatios.clone();
		this.decoderHiddenSize = decoderHiddenSize;
		this.numLabels = numLabels;
		this.layerNormEps = layerNormEps;
		this.dropPathRate = dropPathRate;
		this.classifierDropout = classifierDropout;
		validate();
	}

	/**
	 * The published MiT sizes with Hugging Face's defaults (drop path 0.1, classifier dropout 0.1) and the 150 ADE20K
	 * labels of the {@code nvidia/segformer-bN-finetuned-ade-*} checkpoints.
	 *
	 * @param name {@code b0} .. {@code b5}
	 * @throws UserError for another name
	 */
	public static SegFormerConfig preset(String name) {
		int[] wide = { 64, 128, 320, 512 };
		int[] depths;
		int[] hidden = wide;
		int decoder = 768;
		switch (name) {
			case "b0":
				hidden = new int[] { 32, 64, 160, 256 };
				depths = new int[] { 2, 2, 2, 2 };
				decoder = 256;
				break;
			case "b1":
				depths = new int[] { 2, 2, 2, 2 };
				decoder = 256;
				break;
			case "b2":
				depths = new int[] { 3, 4, 6, 3 };
				break;
			case "b3":
				depths = new int[] { 3, 4, 18, 3 };
				break;
			case "b4":
				depths = new int[] { 3, 8, 27, 3 };
				break;
			case "b5":
				depths = new int[] { 3, 6, 40, 3 };
				break;
			default:
				throw new UserError("Unknown SegFormer size '" + name + "': use one of " + PRESETS);
		}
		return new SegFormerConfig(3, hidden, depths, new int[] { 1, 2, 5, 8 }, new int[] { 8, 4, 2, 1 },
				new int[] { 7, 3, 3, 3 }, new int[] { 4, 2, 2, 2 }, new int[] { 4, 4, 4, 4 }, decoder, 150, 1e-6, 0.1, 0.1);
	}

	/**
	 * Reads a Hugging Face {@code config.json} of a SegFormer. Missing optional fields get Hugging Face's defaults;
	 * the number of labels comes from {@code num_labels} or else the size of {@code id2label}.
	 *
	 * @throws UserError if the file is unreadable, not a SegFormer config, or inconsistent
	 */
	public static SegFormerConfig fromJson(Path configJson) {
		JsonElement root = Json.read(configJson);
		if (!root.isJsonObject())
			throw new UserError(configJson + " is not a Hugging Face config (expected a JSON object)");
		return fromJson(root.getAsJsonObject(), configJson.toString());
	}

	static SegFormerConfig fromJson(JsonObject o, String source) {
		Reader r = new Reader(o, source);
		if (o.has("model_type") && !"segformer".equals(o.get("model_type").getAsString()))
			throw new UserError(source + " describes a '" + o.get("model_type").getAsString()
					+ "' model, not a SegFormer: use the config.json of a SegFormer checkpoint");
		if (o.has("hidden_act") && !"gelu".equals(o.get("hidden_act").getAsString()))
			throw new UserError(source + ": hidden_act '" + o.get("hidden_act").getAsString()
					+ "' is not supported (only 'gelu', as in every published SegFormer)");
		int numLabels;
		if (o.has("num_labels"))
			numLabels = r.integer("num_labels");
		else if (o.has("id2label") && o.get("id2label").isJsonObject())
			numLabels = o.getAsJsonObject("id2label").size();
		else
			numLabels = 2; // Hugging Face's PretrainedConfig default
		return new SegFormerConfig(r.integerOr("num_channels", 3), r.ints("hidden_sizes"), r.ints("depths"),
				r.ints("num_attention_heads"), r.ints("sr_ratios"), r.ints("patch_sizes"), r.ints("strides"),
				r.ints("mlp_ratios"), r.integer("decoder_hidden_size"), numLabels, r.number("layer_norm_eps", 1e-6),
				r.number("drop_path_rate", 0.1), r.number("classifier_dropout_prob", 0.1));
	}

	private void validate() {
		int stages = hiddenSizes.length;
		for (int[] a : List.of(depths, numHeads, srRatios, patchSizes, strides, mlpRatios))
			if (a.length != stages)
				throw new UserError("SegFormer config: hidden_sizes, depths, num_attention_heads, sr_ratios, patch_sizes,"
						+ " strides and mlp_ratios must all have one entry per encoder stage (" + stages + ")");
		if (stages < 1)
			throw new UserError("SegFormer config: needs at least one encoder stage");
		for (int s = 0; s < stages; s++) {
			if (hiddenSizes[s] < 1 || depths[s] < 0 || numHeads[s] < 1 || srRatios[s] < 1 || patchSizes[s] < 1
					|| strides[s] < 1 || mlpRatios[s] < 1)
				throw new UserError("SegFormer config: stage " + s + " has a size below 1");
			if (hiddenSizes[s] % numHeads[s] != 0)
				throw new UserError("SegFormer config: hidden size " + hiddenSizes[s] + " of stage " + s
						+ " is not a multiple of its " + numHeads[s] + " attention heads");
		}
		if (decoderHiddenSize < 1 || numLabels < 1 || numChannels < 1)
			throw new UserError("SegFormer config: decoder_hidden_size, num_labels and num_channels must be at least 1");
		if (dropPathRate < 0 || dropPathRate >= 1 || classifierDropout < 0 || classifierDropout >= 1)
			throw new UserError("SegFormer config: drop_path_rate and classifier_dropout_prob must lie in [0, 1)");
	}

	/** Number of encoder stages (4 in every published model). */
	public int stages() {
		return hiddenSizes.length;
	}

	public int decoderHiddenSize() {
		return decoderHiddenSize;
	}

	public int numLabels() {
		return numLabels;
	}

	public int numChannels() {
		return numChannels;
	}

	/** The total stride of the first stage (4 in every published model): the decoder's output resolution. */
	public int firstStride() {
		return strides[0];
	}

	/** The preset (b0..b5) with the same layer sizes, ignoring labels and regularisation; null if none. */
	public String presetName() {
		for (String name : PRESETS)
			if (sameLayers(preset(name)))
				return name;
		return null;
	}

	/** Whether both configs build the same encoder and decoder layers (labels and dropout rates aside). */
	public boolean sameLayers(SegFormerConfig o) {
		return numChannels == o.numChannels && Arrays.equals(hiddenSizes, o.hiddenSizes) && Arrays.equals(depths, o.depths)
				&& Arrays.equals(numHeads, o.numHeads) && Arrays.equals(srRatios, o.srRatios)
				&& Arrays.equals(patchSizes, o.patchSizes) && Arrays.equals(strides, o.strides)
				&& Arrays.equals(mlpRatios, o.mlpRatios) && decoderHiddenSize == o.decoderHiddenSize;
	}

	/** A copy with other training-time regularisation (stochastic depth and the dropout before the head). */
	public SegFormerConfig withDropout(double dropPath, double classifierDropoutProb) {
		return new SegFormerConfig(numChannels, hiddenSizes, depths, numHeads, srRatios, patchSizes, strides, mlpRatios,
				decoderHiddenSize, numLabels, layerNormEps, dropPath, classifierDropoutProb);
	}

	public double dropPathRate() {
		return dropPathRate;
	}

	public double classifierDropout() {
		return classifierDropout;
	}

	/** The fields in Hugging Face's names (for messages and for recording a non-preset network). */
	public Map<String, Object> toMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("num_channels", numChannels);
		m.put("hidden_sizes", list(hiddenSizes));
		m.put("depths", list(depths));
		m.put("num_attention_heads", list(numHeads));
		m.put("sr_ratios", list(srRatios));
		m.put("patch_sizes", list(patchSizes));
		m.put("strides", list(strides));
		m.put("mlp_ratios", list(mlpRatios));
		m.put("decoder_hidden_size", decoderHiddenSize);
		m.put("num_labels", numLabels);
		m.put("layer_norm_eps", layerNormEps);
		m.put("drop_path_rate", dropPathRate);
		m.put("classifier_dropout_prob", classifierDropout);
		return m;
	}

	private static List<Integer> list(int[] a) {
		return Arrays.stream(a).boxed().toList();
	}

	@Override
	public String toString() {
		return toMap().toString();
	}

	/** Checked reading of config fields, naming the file in errors. */
	private static final class Reader {
		private final JsonObject o;
		private final String source;

		Reader(JsonObject o, String source) {
			this.o = o;
			this.source = source;
		}

		int[] ints(String key) {
			JsonElement e = o.get(key);
			if (e == null || !e.isJsonArray())
				throw new UserError(source + " lacks the list '" + key + "' of a SegFormer config");
			JsonArray a = e.getAsJsonArray();
			int[] out = new int[a.size()];
			for (int i = 0; i < out.length; i++)
				out[i] = whole(key, a.get(i));
			return out;
		}

		int integer(String key) {
			if (!o.has(key))
				throw new UserError(source + " lacks the field '" + key + "' of a SegFormer config");
			return whole(key, o.get(key));
		}

		int integerOr(String key, int fallback) {
			return o.has(key) ? whole(key, o.get(key)) : fallback;
		}

		double number(String key, double fallback) {
			if (!o.has(key) || o.get(key).isJsonNull())
				return fallback;
			try {
				return o.get(key).getAsDouble();
			} catch (RuntimeException e) {
				throw new UserError(source + ": '" + key + "' must be a number, got " + o.get(key));
			}
		}

		private int whole(String key, JsonElement e) {
			try {
				double d = e.getAsDouble();
				if (d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE)
					return (int) d;
			} catch (RuntimeException ignored) {
				// reported below
			}
			throw new UserError(source + ": '" + key + "' must hold whole numbers, got " + e);
		}
	}
}
