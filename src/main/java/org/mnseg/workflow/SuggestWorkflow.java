package org.mnseg.workflow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.mnseg.bundle.BundleInfo;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.Volume;
import org.mnseg.dataset.Case;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.inference.SlidingWindow;
import org.mnseg.io.VolumeIO;
import org.mnseg.suggest.Measure;
import org.mnseg.suggest.Ranking;
import org.mnseg.suggest.SuggestionModel;
import org.mnseg.suggest.VolumeScore;
import org.mnseg.train.RunListener;
import org.mnseg.util.Json;
import org.mnseg.util.OutputFiles;
import org.mnseg.util.UserError;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import ai.djl.Device;

/**
 * "What to annotate next" over volume files, as {@code mn suggest} and Fiji's "M&amp;N Suggest Annotations" (for a
 * folder) run it: every volume is predicted by the bundle's networks and scored ({@link SuggestionModel}), the volumes
 * are ranked with the top slices ({@link Ranking}), and the results go to {@value #RESULTS_FILE} (and, when asked, one
 * heat map {@code <name>_suggest.nii.gz}, or {@code .tif} for TIFF input, per volume) in the output folder.
 */
public final class SuggestWorkflow {
	public static final String RESULTS_FILE = "suggestions.json";
	/** Added to a volume's name for its heat map. */
	public static final String HEATMAP_SUFFIX = "_suggest";
	/** The data set splits {@link #datasetInputs} offers. */
	public static final String UNLABELED = "unlabeled", TEST = "test";
	public static final List<String> SPLITS = List.of(UNLABELED, TEST);

	private SuggestWorkflow() {}

	/**
	 * A volume to score: its name in the results, and either its file or (for a front end whose images are in memory,
	 * such as Fiji's open images) the volume itself with {@code file} null.
	 */
	public record Input(String id, Path file, Volume volume) {
		public Input {
			if ((file == null) == (volume == null)) throw new IllegalArgumentException("an input is a file or a volume");
		}

		public Input(String id, Path file) {
			this(id, file, null);
		}

		/** An image in memory, named {@code title} (its heat map is a TIFF named after it). */
		public static Input inMemory(String title, Volume volume) {
			return new Input(title, null, volume);
		}

		/** Where the image came from, as the results name it. */
		public String source() {
			return file == null ? id : file.toString();
		}

		Volume read() {
			return file == null ? volume : VolumeIO.readImage(file);
		}
	}

	/**
	 * @param model     the {@code .mnmodel} bundle
	 * @param inputs    the volumes, each name once
	 * @param top       how many slices to suggest
	 * @param spacing   the fewest slices between two suggestions in one volume (1: neighbours allowed)
	 * @param out       the output folder; null writes nothing
	 * @param heatmaps  also write each volume's per-voxel map (needs {@code out})
	 */
	public record Request(Path model, List<Input> inputs, Measure measure, int top, int spacing, Path out, boolean heatmaps, Device device) {
		public Request {
			inputs = List.copyOf(inputs);
		}
	}

	/**
	 * @param measure what the ranking used (the one asked for, or uncertainty where the bundle has no 2-D partner)
	 * @param note    the line saying so; null when the measure asked for was used
	 * @param written the files written, results last
	 */
	public record Result(Ranking ranking, Measure measure, String note, Map<String, Path> heatmaps, List<Path> written) {}

	/** The volumes of a file, a folder or a {@code .txt} list, named by their file names (as {@code mn segment} reads them). */
	public static List<Input> imageInputs(Path input) {
		return SegmentWorkflow.inputs(input).stream().map(f -> new Input(VolumeIO.baseName(f), f)).toList();
	}

	/**
	 * The cases of a data set: {@link #UNLABELED}, the training cases the model was not trained on (by the labeled
	 * cases its bundle records; where it records none, those without a label) and the data set's extra unlabeled
	 * images; or {@link #TEST}, the test split (for checking suggestions against the truth).
	 */
	public static List<Input> datasetInputs(Path dataset, String split, BundleInfo info) {
		if (!SPLITS.contains(split)) throw new UserError("Unknown split '" + split + "'. Choose one of: " + String.join(", ", SPLITS) + ".");
		DatasetSpec spec = DatasetSpec.open(dataset);
		List<Case> cases;
		if (split.equals(TEST)) cases = spec.test();
		else if (info.labeledCases.isEmpty()) cases = spec.unlabeled(-1);
		else {
			Set<String> trained = new HashSet<>(info.labeledCases);
			cases = new ArrayList<>(spec.train().stream().filter(c -> !trained.contains(c.id())).toList());
			// the data set's extra unlabeled images (a folder's unlabeled/) are in unlabeled(-1) after its training cases
			Set<String> train = new HashSet<>(spec.train().stream().map(Case::id).toList());
			cases.addAll(spec.unlabeled(-1).stream().filter(c -> !train.contains(c.id())).toList());
		}
		if (cases.isEmpty())
			throw new UserError("The data set " + dataset + " has no " + (split.equals(TEST) ? "test cases" : "volumes the model was not trained on")
				+ " to rank. Give a folder of unlabeled volumes instead.");
		return cases.stream().map(c -> new Input(c.id(), c.image())).toList();
	}

	/** A volume's heat map file: TIFF stays TIFF, everything else becomes gzipped NIfTI; an image in memory gets a TIFF. */
	public static Path heatmapFor(Input input, Path out) {
		if (input.file() == null) return out.resolve(VolumeIO.baseName(input.id()) + HEATMAP_SUFFIX + ".tif");
		return out.resolve(input.id() + HEATMAP_SUFFIX + SegmentWorkflow.outputExtension(input.file()));
	}

	/**
	 * Checks, before any volume is read, that the outputs destroy nothing: the output folder is not a file, no output is
	 * an input, no two volumes share a name (their heat maps would collide), and existing outputs are replaced only with
	 * {@code overwrite}.
	 *
	 * @param howToReplace how the user allows replacing, e.g. "Add --overwrite to replace them"
	 */
	public static void requireSafeOutputs(List<Input> inputs, Path out, boolean heatmaps, boolean overwrite, String howToReplace) {
		Map<String, Input> byId = new HashMap<>();
		for (Input in : inputs) {
			Input other = byId.put(in.id(), in);
			if (other != null)
				throw new UserError("Two volumes are named " + in.id() + " (" + described(other) + " and " + described(in) + "); their results would mix. Rename one of them.");
		}
		if (out == null) return;
		List<OutputFiles.Planned> planned = new ArrayList<>();
		if (heatmaps) for (Input in : inputs) planned.add(new OutputFiles.Planned(heatmapFor(in, out), in.file()));
		planned.add(new OutputFiles.Planned(out.resolve(RESULTS_FILE), null));
		OutputFiles.requireSafe(planned, inputs.stream().map(Input::file).filter(Objects::nonNull).toList(), out, "suggestions", overwrite, howToReplace);
	}

	private static String described(Input in) {
		return in.file() == null ? "an open image" : in.file().toString();
	}

	/**
	 * Scores every input, ranks them and writes the outputs; existing outputs are replaced (check with
	 * {@link #requireSafeOutputs} first).
	 *
	 * @param scored told of each volume's scores and map as it is done (e.g. to show the map); may be null
	 */
	public static Result run(Request req, RunListener listener, BooleanSupplier cancelled, Consumer<SuggestionModel.Scored> scored) {
		return run(req, listener, cancelled, scored, null);
	}

	/** {@link #run}, telling {@code progress} how far each volume's prediction is (e.g. a progress bar). */
	public static Result run(Request req, RunListener listener, BooleanSupplier cancelled, Consumer<SuggestionModel.Scored> scored,
		SlidingWindow.Progress progress) {
		if (req.heatmaps() && req.out() == null) throw new UserError("Heat maps are written to the output folder: give one.");
		requireSafeOutputs(req.inputs(), req.out(), req.heatmaps(), true, "");
		Engine.prepare();
		ModelBundle bundle = ModelBundle.load(req.model());
		List<VolumeScore> scores = new ArrayList<>();
		Map<String, Path> heatmaps = new LinkedHashMap<>();
		List<Path> written = new ArrayList<>();
		try (SuggestionModel model = new SuggestionModel(bundle, req.measure(), req.device())) {
			if (model.note() != null) listener.message(model.note());
			int i = 0;
			for (Input in : req.inputs()) {
				if (cancelled != null && cancelled.getAsBoolean()) throw new CancellationException("Suggestions cancelled");
				listener.message("Scoring " + in.id() + " (" + (++i) + "/" + req.inputs().size() + ")");
				SuggestionModel.Scored s = model.score(in.id(), in.source(), in.read(), progress, cancelled);
				scores.add(s.score());
				if (req.heatmaps()) {
					Path f = heatmapFor(in, req.out());
					VolumeIO.writeImage(s.map(), f);
					heatmaps.put(in.id(), f);
					written.add(f);
				}
				if (scored != null) scored.accept(s);
			}
			Ranking ranking = Ranking.of(scores, req.top(), req.spacing());
			if (req.out() != null) {
				Path results = req.out().resolve(RESULTS_FILE);
				Json.write(results, toJson(ranking, model.measure(), model.note(), req.model(), req.spacing(), heatmaps));
				written.add(results);
			}
			return new Result(ranking, model.measure(), model.note(), heatmaps, written);
		}
	}

	/** The results as {@value #RESULTS_FILE} holds them; {@code heatmaps}: each volume's heat map file, where written. */
	public static JsonObject toJson(Ranking ranking, Measure measure, String note, Path model, int spacing, Map<String, Path> heatmaps) {
		JsonObject o = new JsonObject();
		o.addProperty("model", model == null ? null : model.toAbsolutePath().toString());
		o.addProperty("measure", measure.key());
		o.addProperty("note", note);
		o.addProperty("slice_spacing", spacing);
		JsonObject defs = new JsonObject();
		defs.addProperty("disagreement", "per voxel: total variation distance of the 3-D and 2-D models' class probabilities (half the sum of |p3d - p2d|), 0 to 1");
		defs.addProperty("uncertainty", "per voxel: entropy of the 3-D model's class probabilities divided by ln(classes), 0 to 1");
		defs.addProperty("both", "per voxel: the mean of disagreement and uncertainty");
		defs.addProperty("volume_score", "mean of the measure over the voxels where either model predicts foreground (region_voxels); the whole volume where none does");
		defs.addProperty("slice_scores", "mean of the measure over each whole z slice, from z = 0");
		defs.addProperty("slice", "slice number from 1, as Fiji and ITK-SNAP count (z = slice - 1)");
		defs.addProperty("slice_spacing", "top slices of one volume are at least this many slices apart (1: neighbours allowed)");
		o.add("definitions", defs);
		JsonArray volumes = new JsonArray();
		int rank = 0;
		for (VolumeScore v : ranking.volumes()) {
			JsonObject j = new JsonObject();
			j.addProperty("rank", ++rank);
			j.addProperty("id", v.id());
			j.addProperty("source", v.source());
			j.addProperty("score", v.score());
			j.addProperty("disagreement", v.disagreement());
			j.addProperty("uncertainty", v.uncertainty());
			j.addProperty("region_voxels", v.regionVoxels());
			j.addProperty("voxels", v.voxels());
			Path h = heatmaps.get(v.id());
			if (h != null) j.addProperty("heatmap", h.toAbsolutePath().toString());
			JsonArray slices = new JsonArray();
			for (double s : v.sliceScores()) slices.add(s);
			j.add("slice_scores", slices);
			volumes.add(j);
		}
		o.add("volumes", volumes);
		JsonArray top = new JsonArray();
		for (Ranking.SliceSuggestion s : ranking.slices()) {
			JsonObject j = new JsonObject();
			j.addProperty("rank", s.rank());
			j.addProperty("id", s.volume().id());
			j.addProperty("source", s.volume().source());
			j.addProperty("slice", s.slice());
			j.addProperty("score", s.score());
			top.add(j);
		}
		o.add("top_slices", top);
		return o;
	}
}
