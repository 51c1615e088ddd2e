package org.mnseg.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mnseg.finetune.FineTuning;
import org.mnseg.models.NetworkFactory;
import org.mnseg.nn2d.SliceZoom;
import org.mnseg.train.Checkpoint;
import org.mnseg.train.ConfigOverrides;
import org.mnseg.train.Presets;
import org.mnseg.util.OptionParser;
import org.mnseg.util.UserError;

/**
 * What a front end (the Fiji commands) offers for a training, read from the core so that new methods, networks and
 * presets appear there without changes: the choice lists, free-form training options, and whether a run folder holds
 * a checkpoint to resume.
 */
public final class TrainOptions {
	private TrainOptions() {}

	public static List<String> methods() {
		return TrainWorkflow.METHODS;
	}

	public static List<String> architectures3d() {
		return NetworkFactory.ARCHITECTURES_3D;
	}

	public static List<String> architectures2d() {
		return NetworkFactory.ARCHITECTURES_2D;
	}

	/**
	 * The {@code options2d} value that enlarges slices {@code factor} times before a 2-D network, or null where the
	 * network cannot (SegFormer) or nothing is enlarged (factor 1).
	 */
	public static String sliceZoomOptions(String architecture2d, int factor) {
		if (factor <= 1 || !NetworkFactory.zoomsSlices(architecture2d)) return null;
		return "{\"" + SliceZoom.OPTION + "\": " + factor + "}";
	}

	/** Every training option with its meaning and the presets' values, for help pages. */
	public static List<ConfigOverrides.OptionHelp> settingsHelp() {
		return ConfigOverrides.help();
	}

	public static List<String> fineTunings() {
		return Arrays.stream(FineTuning.Strategy.values()).map(FineTuning.Strategy::key).toList();
	}

	public static List<String> presets() {
		return Presets.NAMES;
	}

	/**
	 * Training settings written as {@code name=value} (also {@code --name value}) separated by spaces, as
	 * {@code mn train} takes them; the names are checked here, the values when the run starts.
	 *
	 * @param field how messages name the text field, e.g. {@code Options}
	 */
	public static Map<String, String> parse(String text, String field) {
		if (text == null || text.isBlank()) return new java.util.LinkedHashMap<>();
		Map<String, String> m = OptionParser.parse(List.of(text.trim().split("\\s+")), Set.of(), true, (problem, what) -> field + ": " + switch (problem) {
			case NOT_AN_OPTION, MISSING_VALUE -> "'" + what + "' is not name=value. Write e.g. 'lr3d=3e-4 patch=48,48,32'.";
			case GIVEN_TWICE -> "'" + what + "' is given twice.";
		});
		for (String name : m.keySet())
			if (!ConfigOverrides.isOption(name))
				throw new UserError(field + ": '" + name + "' is not a training setting. Known settings: " + String.join(", ", ConfigOverrides.options().keySet())
					+ ".");
		return m;
	}

	/** True when {@code runDir} holds the checkpoint of a run (which Resume continues and a new start must not overwrite). */
	public static boolean hasCheckpoint(Path runDir) {
		return Files.exists(runDir.resolve(Checkpoint.FILE_NAME));
	}
}
