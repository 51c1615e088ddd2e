package org.mnseg.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Starting co-training from another run's labeled warm-up. Ablations such as {@code --lrg uniform} or
 * {@code fixed-pseudo} differ from M&N only after stage 1, and every batch's randomness is keyed on (seed, epoch,
 * step), so their warm-ups are identical: a run of method mn or fixed-pseudo saves {@link #FILE_NAME} when stage 1
 * ends, and {@code --stage-one-from} lets a later run continue from it instead of training it again. The later run
 * ends with exactly the weights it would have reached on its own.
 */
public final class StageOneReuse {
	/** Written in the run folder at the end of stage 1. */
	public static final String FILE_NAME = "stage-one.mnckpt";

	/** Settings that act only after stage 1 (or only on evaluation and saving), so they may differ from the source run. */
	static final Set<String> STAGE_TWO_ONLY = Set.of("lrg", "lrgRounding", "foregroundRefresh", "stageOneFrom", "validateEvery", "checkpointEvery",
		"overlap", "blend", "windowBatch", "loraMerge");

	private StageOneReuse() {}

	/** The stage-one checkpoint named by {@code --stage-one-from}: the file itself, or a run folder holding it. */
	static Path locate(String from) {
		Path p = Paths.get(from);
		if (Files.isDirectory(p)) p = p.resolve(FILE_NAME);
		if (!Files.isRegularFile(p))
			throw new UserError("--stage-one-from " + from + ": " + p + " does not exist. Runs of method mn or fixed-pseudo write "
				+ FILE_NAME + " into their run folder when the labeled warm-up ends; give that file or its run folder.");
		return p;
	}

	/**
	 * Checks that the run that wrote a stage-one checkpoint trained its warm-up exactly as {@code ours} would.
	 *
	 * @throws UserError naming every setting that differs
	 */
	static void checkCompatible(TrainingPlan source, TrainingPlan ours, Path file) {
		if (!ours.method().hasWarmUp())
			throw new UserError("--stage-one-from applies to methods with a labeled warm-up (mn, mn-control, fixed-pseudo); method " + ours.method()
				+ " has none.");
		// called before the source's weights are loaded, so that a mismatch is named rather than failing on tensor shapes
		JsonObject theirs = Json.GSON.toJsonTree(source.settings()).getAsJsonObject();
		JsonObject mine = Json.GSON.toJsonTree(ours.settings()).getAsJsonObject();
		// the data set and labeled subset shape the warm-up as much as any setting
		theirs.addProperty("dataset", source.dataset());
		mine.addProperty("dataset", ours.dataset());
		theirs.addProperty("labeled", source.labeled());
		mine.addProperty("labeled", ours.labeled());
		List<String> differing = new ArrayList<>();
		for (String key : mine.keySet()) {
			if (STAGE_TWO_ONLY.contains(key)) continue;
			if (!Objects.equals(theirs.get(key), mine.get(key)))
				differing.add(ConfigOverrides.kebab(key) + " (" + shown(theirs.get(key)) + " there, " + shown(mine.get(key)) + " here)");
		}
		if (!source.method().hasWarmUp()) differing.add("method (" + source.method() + " there, which has no warm-up)");
		if (!differing.isEmpty())
			throw new UserError(file + " comes from a warm-up trained with other settings, so this run would not be the one asked for: "
				+ String.join("; ", differing) + ". Train the warm-up again (leave out --stage-one-from) or use the settings above.");
	}

	private static String shown(JsonElement value) {
		if (value == null || value.isJsonNull()) return "unset";
		return value.isJsonPrimitive() ? value.getAsString() : value.toString();
	}
}
