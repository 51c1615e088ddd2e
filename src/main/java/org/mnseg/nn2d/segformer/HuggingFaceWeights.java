package org.mnseg.nn2d.segformer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mnseg.nn.Param;
import org.mnseg.pretrained.safetensors.Safetensors;
import org.mnseg.util.UserError;

/**
 * Loads a Hugging Face SegFormer checkpoint into a {@link SegFormer} by state_dict key. All names and shapes are
 * checked before any value is written, so a mismatching file leaves the network untouched.
 */
final class HuggingFaceWeights {
	/** Bookkeeping that PyTorch saves with BatchNorm and that evaluation never reads. */
	private static final String BATCHES_TRACKED = "decode_head.batch_norm.num_batches_tracked";
	/** The image classifier of encoder-only (ImageNet) checkpoints. */
	private static final Set<String> IMAGE_CLASSIFIER = Set.of("classifier.weight", "classifier.bias");
	private static final int LISTED = 12;

	private HuggingFaceWeights() {
	}

	/** @param configLabels the label count config.json declares, or null to take the file's classifier as it is */
	static List<String> load(SegFormer net, Path file, Integer configLabels) {
		try (Safetensors weights = Safetensors.open(file)) {
			boolean withDecoder = weights.names().stream().anyMatch(n -> n.startsWith("decode_head."));
			Map<String, Param> expected = new LinkedHashMap<>();
			List<String> leftAtInit = new ArrayList<>();
			for (Param p : net.huggingFaceParams()) {
				if (withDecoder || p.name().startsWith("segformer."))
					expected.put(p.name(), p);
				else
					leftAtInit.add(p.name());
			}
			if (withDecoder) {
				int labels = classifierLabels(weights, configLabels);
				net.replaceClassifier(labels);
				expected.put(net.classifier().weight().name(), net.classifier().weight());
				expected.put(net.classifier().bias().name(), net.classifier().bias());
			}
			for (Param p : net.headParams())
				leftAtInit.add(p.name());

			Set<String> unexpected = new LinkedHashSet<>(weights.names());
			unexpected.removeAll(expected.keySet());
			unexpected.remove(BATCHES_TRACKED);
			if (!withDecoder)
				unexpected.removeAll(IMAGE_CLASSIFIER);
			List<String> missing = new ArrayList<>();
			List<String> wrongShape = new ArrayList<>();
			for (Param p : expected.values()) {
				if (!weights.contains(p.name())) {
					missing.add(p.name());
					continue;
				}
				Safetensors.TensorInfo info = weights.info(p.name());
				long[] want = p.array().getShape().getShape();
				if (!Arrays.equals(want, info.shape()) || !info.dtype().isFloating())
					wrongShape.add(info + " (expected F32/F16/BF16 " + Arrays.toString(want) + ")");
			}
			if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty())
				throw new UserError(file + " does not fit this " + net.architecture() + " network:"
						+ describe("missing keys", missing) + describe("unexpected keys", new ArrayList<>(unexpected))
						+ describe("tensors of the wrong shape or type", wrongShape)
						+ ". Use the model.safetensors and config.json of one Hugging Face SegFormer checkpoint"
						+ " (SegformerForSemanticSegmentation or an encoder-only MiT)");
			for (Param p : expected.values())
				p.set(weights.floats(p.name()));
			return leftAtInit;
		}
	}

	/** The classifier's label count from the file, which must agree with config.json. */
	private static int classifierLabels(Safetensors weights, Integer configLabels) {
		String key = "decode_head.classifier.weight";
		if (!weights.contains(key))
			return configLabels == null ? 1 : configLabels; // reported as a missing key
		long[] shape = weights.info(key).shape();
		if (configLabels == null && shape.length == 4 && shape[0] >= 1)
			return (int) shape[0];
		if (shape.length != 4 || configLabels == null || shape[0] != configLabels)
			throw new UserError(weights.file() + ": " + key + " has shape " + Arrays.toString(shape)
					+ (configLabels == null ? ", not a classifier's [labels, channels, 1, 1]"
							: " but config.json declares " + configLabels + " labels; use the config.json of this checkpoint"));
		return configLabels;
	}

	private static String describe(String what, List<String> names) {
		if (names.isEmpty())
			return "";
		List<String> shown = names.subList(0, Math.min(LISTED, names.size()));
		return " " + names.size() + " " + what + " " + shown + (names.size() > LISTED ? " and more" : "") + ";";
	}
}
