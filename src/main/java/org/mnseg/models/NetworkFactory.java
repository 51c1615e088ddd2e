package org.mnseg.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.mnseg.finetune.FineTuner;
import org.mnseg.finetune.FineTuning;
import org.mnseg.nn.Network;
import org.mnseg.nn.UNet3D;
import org.mnseg.nn2d.SliceZoom;
import org.mnseg.nn2d.mobilenet.Pretrained2dFactory;
import org.mnseg.nn2d.segformer.SegFormerFactory;
import org.mnseg.pretrained.PretrainedModel;
import org.mnseg.util.OptionMap;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDManager;

/**
 * Builds a network from its architecture name and hyper-parameters, as recorded in a model bundle or given by the
 * user: the one place that knows every architecture (3-D and 2-D). Configuration maps may come from JSON, so numbers may arrive as {@link Double}.
 */
public final class NetworkFactory {
	/** Architectures this factory builds. */
	public static final List<String> ARCHITECTURES = all();
	/** The 3-D architectures (trained from scratch). */
	public static final List<String> ARCHITECTURES_3D = List.of(UNet3D.ARCHITECTURE);
	/** The 2-D architectures (pretrained on natural images, or custom SegFormer sizes), the first being the default. */
	public static final List<String> ARCHITECTURES_2D = ARCHITECTURES.stream().filter(a -> !ARCHITECTURES_3D.contains(a)).toList();

	private static List<String> all() {
		List<String> a = new ArrayList<>(List.of(UNet3D.ARCHITECTURE));
		a.addAll(Pretrained2dFactory.ARCHITECTURES);
		a.addAll(SegFormerFactory.architectures());
		return List.copyOf(a);
	}

	private NetworkFactory() {
	}

	/**
	 * Refuses, in one line naming the option, a 3-D or 2-D architecture this factory does not build in that role: a
	 * training plan checks its networks with it before any volume is read.
	 */
	public static void requireKnown(String architecture3d, String architecture2d) {
		if (!ARCHITECTURES_3D.contains(architecture3d))
			throw new UserError("--architecture3d '" + architecture3d + "' is not a 3-D network this plugin builds: use one of " + ARCHITECTURES_3D + ".");
		if (!ARCHITECTURES_2D.contains(architecture2d))
			throw new UserError("--architecture2d '" + architecture2d + "' is not a 2-D network this plugin builds: use one of " + ARCHITECTURES_2D + ".");
	}

	/**
	 * Refuses, in one line, 2-D network options ({@code --options2d}) that {@link #create} would refuse: unknown keys,
	 * malformed values, a wrong pretrained id, missing custom sizes, and the channel and class counts, which training
	 * takes from the data set. Reads the options as the network's factory does, without building it, so a training
	 * plan checks them before any volume is read.
	 */
	public static void requireValidOptions2d(String architecture2d, Map<String, Object> options) {
		List<String> fromData = List.of("in_channels", "num_classes");
		for (String key : fromData)
			if (options.containsKey(key))
				throw new UserError("--options2d sets '" + key + "', which training takes from the data set (and --input2d): leave it out.");
		boolean tflite = Pretrained2dFactory.builds(architecture2d);
		if (!tflite && !SegFormerFactory.builds(architecture2d)) return;
		Set<String> settable = new TreeSet<>(tflite ? Pretrained2dFactory.optionNames() : SegFormerFactory.optionNames(architecture2d));
		settable.removeAll(fromData);
		new OptionMap(options, "network " + architecture2d + " in --options2d").requireKnown(settable);
		try {
			if (tflite) Pretrained2dFactory.options(architecture2d, options);
			else SegFormerFactory.options(architecture2d, options);
		} catch (UserError e) {
			throw new UserError("--options2d: " + e.getMessage());
		}
	}

	/**
	 * A freshly initialised network whose parameters live in a new sub-manager of {@code parent}.
	 *
	 * @param config for {@code unet3d}: {@code in_channels} and {@code num_classes} (required), {@code levels}
	 *            (default 5), {@code base_filters} (default 32). A 2-D network's config may hold a
	 *            {@link FineTuning#CONFIG_KEY} entry (as a fine-tuned network records it): the network is then
	 *            returned with its fine-tuning structure (adapters, trainable flags) re-created, ready for a
	 *            bundle's weights
	 * @throws UserError for an unknown architecture, an unknown or missing option or a non-integral number
	 */
	public static Network create(String architecture, Map<String, Object> config, NDManager parent, long seed) {
		if (config != null && config.containsKey(FineTuning.CONFIG_KEY)) {
			Map<String, Object> plain = new LinkedHashMap<>(config);
			Object fineTuning = plain.remove(FineTuning.CONFIG_KEY);
			Network base = create(architecture, plain, parent, seed);
			try {
				return FineTuner.restore(base, fineTuning, seed);
			} catch (RuntimeException e) {
				base.close();
				throw e;
			}
		}
		if (UNet3D.ARCHITECTURE.equals(architecture)) {
			OptionMap o = new OptionMap(config, "network " + architecture).requireKnown(Set.of("in_channels", "num_classes", "levels", "base_filters"));
			return new UNet3D(parent, o.integer("in_channels", null), o.integer("num_classes", null),
					o.integer("levels", UNet3D.DEFAULT_LEVELS), o.integer("base_filters", UNet3D.DEFAULT_BASE_FILTERS),
					seed);
		}
		if (Pretrained2dFactory.builds(architecture)) return Pretrained2dFactory.create(architecture, config, parent, seed);
		if (SegFormerFactory.builds(architecture)) return SegFormerFactory.create(architecture, config, parent, seed);
		throw new UserError("Unknown network architecture '" + architecture + "': use one of " + ARCHITECTURES);
	}

	/**
	 * The published pretrained file a 2-D network starts from: for the TFLite networks the file {@link #create} builds
	 * them from, for SegFormer the checkpoint training loads ({@link SegFormerFactory#weightsOf}); empty for the others.
	 */
	public static Optional<PretrainedModel> pretrainedModel(String architecture, Map<String, Object> config) {
		if (Pretrained2dFactory.builds(architecture)) return Optional.of(Pretrained2dFactory.weightsOf(architecture));
		if (SegFormerFactory.builds(architecture)) return SegFormerFactory.weightsOf(architecture, config);
		return Optional.empty();
	}

	/** Whether the network enlarges slices by the factor its {@link SliceZoom#OPTION} option gives. */
	public static boolean zoomsSlices(String architecture) {
		return Pretrained2dFactory.takes(architecture, SliceZoom.OPTION);
	}

	/** Whether {@link #create} reads the pretrained file itself (the TFLite networks' structure comes from it). */
	public static boolean buildsFromPretrainedFile(String architecture) {
		return Pretrained2dFactory.builds(architecture);
	}
}
