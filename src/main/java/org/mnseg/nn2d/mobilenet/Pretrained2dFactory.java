package org.mnseg.nn2d.mobilenet;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mnseg.nn2d.SliceZoom;
import org.mnseg.pretrained.PretrainedModel;
import org.mnseg.pretrained.PretrainedModels;
import org.mnseg.pretrained.WeightsSource;
import org.mnseg.pretrained.tflite.TfliteModel;
import org.mnseg.util.OptionMap;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDManager;

/**
 * Builds the pretrained 2-D segmenters by architecture name. Options: {@code num_classes} (required),
 * {@code in_channels} (1 or 3, default 1), {@code input_scaling} ({@code none} default, {@code imagenet},
 * {@code signed_unit}), {@code weights} (the registry id; must be the architecture's own model, recorded for
 * provenance), {@code weights_file} (a local .tflite to use instead of the cache / download) and {@code slice_zoom}
 * (enlarge slices by this whole factor before the network, default 1; see {@link org.mnseg.nn2d.SliceZoom}).
 */
public final class Pretrained2dFactory {
	public static final List<String> ARCHITECTURES = List.of(DeepLabV3Plus.ARCHITECTURE, DeepLabV3.ARCHITECTURE,
			MobileNetV2UNet.ARCHITECTURE, MobileNetV2.ARCHITECTURE);
	private static final Set<String> KEYS = Set.of("num_classes", "in_channels", "input_scaling", "weights", "weights_file", SliceZoom.OPTION);

	private Pretrained2dFactory() {}

	public static boolean builds(String architecture) {
		return ARCHITECTURES.contains(architecture);
	}

	/** Whether these networks take a network option of this name. */
	public static boolean takes(String architecture, String option) {
		return builds(architecture) && KEYS.contains(option);
	}

	/** The options these networks take. */
	public static Set<String> optionNames() {
		return KEYS;
	}

	/** The registry entry whose file defines an architecture's pretrained part. */
	public static PretrainedModel weightsOf(String architecture) {
		switch (architecture) {
			case DeepLabV3Plus.ARCHITECTURE:
				return PretrainedModels.DEEPLABV3PLUS_ADE20K;
			case DeepLabV3.ARCHITECTURE:
				return PretrainedModels.DEEPLABV3_PASCAL;
			case MobileNetV2UNet.ARCHITECTURE:
			case MobileNetV2.ARCHITECTURE:
				return PretrainedModels.MOBILENETV2_IMAGENET;
			default:
				throw new UserError("Unknown pretrained 2-D architecture '" + architecture + "': use one of " + ARCHITECTURES);
		}
	}

	/** Uses {@link WeightsSource#defaults} to find the pretrained file. */
	public static TfliteSegmenter create(String architecture, Map<String, Object> config, NDManager parent, long seed) {
		return create(architecture, config, parent, seed, WeightsSource.defaults(null));
	}

	/**
	 * A network with the pretrained weights loaded and a freshly initialised head (and decoder), parameters in a new
	 * sub-manager of {@code parent}.
	 */
	public static TfliteSegmenter create(String architecture, Map<String, Object> config, NDManager parent, long seed,
			WeightsSource source) {
		Options o = options(architecture, config);
		OptionMap c = new OptionMap(config, "network " + architecture);
		int numClasses = c.integer("num_classes", null);
		int inChannels = c.integer("in_channels", 1);
		Path file = source.resolve(weightsOf(architecture), o.weightsFile());
		TfliteSegmenter net = build(architecture, TfliteModel.read(file), parent, inChannels, numClasses, o.scaling(), seed);
		net.setSliceZoom(o.sliceZoom());
		net.setSourceFile(file);
		return net;
	}

	/** The options of these networks other than the data's channel and class counts, read and checked. */
	public record Options(InputScaling scaling, Path weightsFile, int sliceZoom) {
	}

	/**
	 * Reads and checks a network's options other than {@code in_channels} and {@code num_classes}, refusing unknown
	 * ones; needs neither the pretrained file nor the engine, so a training plan checks {@code --options2d} with it
	 * before any volume is read.
	 */
	public static Options options(String architecture, Map<String, Object> config) {
		PretrainedModel weights = weightsOf(architecture);
		OptionMap c = new OptionMap(config, "network " + architecture).requireKnown(KEYS);
		String id = c.string("weights", null);
		if (id != null && !weights.id().equals(id))
			throw new UserError("Network " + architecture + " is built on the pretrained model " + weights.id() + ", not '" + id + "'");
		int sliceZoom = c.integer(SliceZoom.OPTION, 1);
		if (sliceZoom < 1) throw new UserError("Option " + SliceZoom.OPTION + " of network " + architecture + " must be a whole number of at least 1, got " + sliceZoom);
		return new Options(InputScaling.of(c.string("input_scaling", InputScaling.NONE.key())),
				c.has("weights_file") ? Paths.get(c.string("weights_file", null)) : null, sliceZoom);
	}

	private static TfliteSegmenter build(String architecture, TfliteModel model, NDManager parent, int inChannels, int numClasses,
			InputScaling scaling, long seed) {
		switch (architecture) {
			case DeepLabV3Plus.ARCHITECTURE:
				return new DeepLabV3Plus(model, parent, inChannels, numClasses, scaling, seed);
			case DeepLabV3.ARCHITECTURE:
				return new DeepLabV3(model, parent, inChannels, numClasses, scaling, seed);
			case MobileNetV2UNet.ARCHITECTURE:
				return new MobileNetV2UNet(model, parent, inChannels, numClasses, scaling, seed);
			default:
				return new MobileNetV2(model, parent, inChannels, numClasses, scaling, seed);
		}
	}
}
