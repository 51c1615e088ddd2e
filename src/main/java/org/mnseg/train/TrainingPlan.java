package org.mnseg.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mnseg.dataset.Case;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.data.Geometry;
import org.mnseg.data.NonFiniteVoxels;
import org.mnseg.data.Normalization;
import org.mnseg.inference.SlidingWindow;
import org.mnseg.nn.SliceViews;
import org.mnseg.io.VolumeGrid;
import org.mnseg.io.VolumeIO;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * Everything a training run will do, decided before any volume is read or any network built (as nnU-Net writes its
 * plans): what it is (method, data set, labeled subset, preset), what the data set looks like (its fingerprint, from
 * file headers), and every setting (the preset sized to the fingerprint, then the user's options, each applied once).
 * Built in one pass by {@link #create}, checked as a whole, and immutable: {@link #settings()} hands out copies. It is
 * written as {@code plan.json} into the run folder, the checkpoints and the bundle.
 */
public final class TrainingPlan {
	public static final String FILE_NAME = "plan.json";

	/**
	 * What the plan needs to know of the data set: read from dataset.json and the volumes' headers, not their voxels.
	 *
	 * @param medianShape median {x, y, z} of the labeled training volumes (sizes the cpu preset's patch)
	 * @param spacing the spacing (mm) of the first labeled volume
	 */
	public record Fingerprint(String name, String modality, int numClasses, int labeledVolumes, int channels, int[] medianShape,
		double[] spacing) {

		/** The fingerprint of the labeled subset of size {@code labeled} (every training case for labeled < 0). */
		public static Fingerprint of(DatasetSpec spec, int labeled) {
			List<Case> cases = labeled < 0 ? spec.train() : spec.labeled(labeled);
			if (cases.isEmpty()) throw new UserError("The data set " + spec.name() + " has no labeled training volume.");
			List<int[]> shapes = new ArrayList<>();
			VolumeGrid first = null;
			double[] declared = spec.declaredSpacing().orElse(null);
			for (Case c : cases) {
				VolumeGrid g = VolumeIO.readGrid(c.image());
				if (first == null) first = g;
				if (g.channels() != first.channels())
					throw new UserError("Case '" + c.id() + "' of " + spec.name() + " has " + g.channels() + " channel(s), but '" + cases.get(0).id() + "' has "
						+ first.channels() + ": every volume of a data set needs the same channels.");
				// the description and the files must agree, or distances in mm and the patch would be planned on a wrong grid
				if (declared != null && !Geometry.sameSpacing(declared, g.spacing(), 0.01))
					throw new UserError("Case '" + c.id() + "': " + c.image() + " has a voxel spacing of " + spacingText(g.spacing()) + " mm, but the data set's "
						+ "dataset.json declares spacing_mm " + spacingText(declared) + ". Correct spacing_mm, or the file's header.");
				shapes.add(g.shape());
			}
			return new Fingerprint(spec.name(), spec.modality(), spec.numClasses(), cases.size(), first.channels(), TrainingPlan.medianShape(shapes),
				first.spacing());
		}
	}

	private static String spacingText(double[] s) {
		return String.format(java.util.Locale.ROOT, "%.4g x %.4g x %.4g", s[0], s[1], s[2]);
	}

	private final Method method;
	private final String dataset;
	private final int labeled;
	private final String preset;
	private final Fingerprint fingerprint;
	private final TrainingSettings settings;

	private TrainingPlan(Method method, String dataset, int labeled, String preset, Fingerprint fingerprint, TrainingSettings settings) {
		this.method = method;
		this.dataset = dataset;
		this.labeled = labeled;
		this.preset = preset;
		this.fingerprint = fingerprint;
		this.settings = copy(settings);
	}

	/**
	 * The plan of a new run: the preset sized to the fingerprint, then {@code options} (option name in kebab case to
	 * value, as on the command line), then the checks of the whole.
	 *
	 * @param labeled size of the labeled subset; -1 for every labeled training case
	 */
	public static TrainingPlan create(Method method, Path dataset, int labeled, String preset, Fingerprint fingerprint, ConfigOverrides.Parsed options) {
		Presets.require(preset);
		TrainingSettings s = new TrainingSettings();
		s.normalization = defaultNormalization(fingerprint.modality());
		Presets.apply(preset, s, fingerprint.medianShape());
		options.applyTo(s);
		absolutePaths(s);
		TrainingPlan plan = new TrainingPlan(method, dataset.toAbsolutePath().normalize().toString(), labeled, preset, fingerprint, s);
		plan.check();
		return plan;
	}

	/** File options are recorded as provenance, so they must name the file wherever the run is looked at from. */
	private static void absolutePaths(TrainingSettings s) {
		if (!s.stageOneFrom.isBlank()) s.stageOneFrom = Paths.get(s.stageOneFrom).toAbsolutePath().normalize().toString();
		if (!s.weights2d.isBlank()) s.weights2d = Paths.get(s.weights2d).toAbsolutePath().normalize().toString();
	}

	/** Checks the plan as a whole: every value in range and the settings consistent with each other and the data. */
	private void check() {
		TrainingSettings s = settings;
		require(s.epochs >= 1, "--epochs must be at least 1, got " + s.epochs + ".");
		require(s.iterationsPerEpoch >= 1, "--iterations-per-epoch must be at least 1, got " + s.iterationsPerEpoch + ".");
		require(s.batchSize >= 1, "--batch-size must be at least 1, got " + s.batchSize + ".");
		require(s.windowBatch >= 1, "--window-batch must be at least 1, got " + s.windowBatch + ".");
		require(s.slices2d >= 0 && s.passSlices2d >= 0, "--slices2d and --pass-slices2d must be 0 (all slices) or more, got " + s.slices2d + " and "
			+ s.passSlices2d + ".");
		require(positiveRate(s.lr3d) && positiveRate(s.lr2d), "Learning rates must be finite numbers above 0, got --lr3d " + s.lr3d + ", --lr2d "
			+ s.lr2d + ".");
		require(Double.isFinite(s.weightDecay) && s.weightDecay >= 0, "--weight-decay must be 0 or more, got " + s.weightDecay + ".");
		require(s.stageOneFraction > 0 && s.stageOneFraction <= 1, "--stage-one-fraction must lie in (0, 1], got " + s.stageOneFraction + ".");
		require(s.stageOneEpochs == -1 || (s.stageOneEpochs >= 1 && s.stageOneEpochs <= s.epochs),
			"--stage-one-epochs must be -1 (use --stage-one-fraction) or 1 to --epochs (" + s.epochs + "), got " + s.stageOneEpochs + ".");
		require(s.overlap >= 0 && s.overlap < 1, "--overlap must lie in [0, 1), got " + s.overlap + ".");
		require(s.foregroundProbability >= 0 && s.foregroundProbability <= 1, "--foreground-probability must lie in [0, 1].");
		require(s.levels >= 1 && s.baseFilters >= 1, "--levels and --base-filters must be at least 1.");
		require(s.zoomMin > 0 && s.zoomMin <= s.zoomMax && Double.isFinite(s.zoomMax), "--zoom-min and --zoom-max must be numbers above 0 with "
			+ "--zoom-min at most --zoom-max, got " + s.zoomMin + " and " + s.zoomMax + ".");
		require(s.gammaMin > 0 && s.gammaMin <= s.gammaMax && Double.isFinite(s.gammaMax), "--gamma-min and --gamma-max must be numbers above 0 with "
			+ "--gamma-min at most --gamma-max, got " + s.gammaMin + " and " + s.gammaMax + ".");
		require(s.validation >= 0, "--validation must be 0 or more, got " + s.validation + ".");
		require(s.warmupEpochs >= 0, "--warmup-epochs must be 0 or more, got " + s.warmupEpochs + ".");
		require(labeled >= -1 && labeled != 0, "The labeled subset must be a positive size (or all), got " + labeled + ".");
		int multiple = 1 << (s.levels - 1);
		for (int a = 0; a < 3; a++)
			require(s.patch[a] >= multiple && s.patch[a] % multiple == 0, "--patch " + s.patch[0] + "," + s.patch[1] + "," + s.patch[2]
				+ ": each side must be a multiple of " + multiple + " (the UNet halves it " + (s.levels - 1) + " times).");
		Normalization.parse(s.normalization);
		NonFiniteVoxels.parseReplacement(s.replaceNan);
		SlidingWindow.Blending.parse(s.blend);
		LrgSampling.parse(s.lrg);
		LrgSampling.Rounding.parse(s.lrgRounding);
		foregroundRefreshEpochs();
		options2d();
		require(s.input2d.equals("slice") || s.input2d.equals("2.5d"), "--input2d must be slice (the slice repeated into the 2-D model's three "
			+ "channels, the paper) or 2.5d (the slice and its two neighbours), got '" + s.input2d + "'.");
		SliceViews.parse(s.views2d);
		require(s.input2d.equals("slice") || fingerprint == null || fingerprint.channels() == 1, "--input2d 2.5d fills the 2-D model's three channels with neighbouring "
			+ "slices of 1-channel data; this data set has " + fingerprint.channels() + " channels. Leave --input2d at slice.");
		if (method.uses2d() && !s.pretrained2d && !s.fineTuning.equals("whole"))
			throw new UserError("--pretrained2d false starts the 2-D network from random weights; --fine-tuning " + s.fineTuning
				+ " would keep most of them frozen at random values. Add --fine-tuning whole.");
		if (!s.weights2d.isBlank()) {
			require(method.uses2d(), "--weights2d names the 2-D network's starting weights; method " + method + " trains no 2-D network.");
			require(s.pretrained2d, "--weights2d names pretrained weights to start from, --pretrained2d false asks for random ones: leave one of them out.");
			require(!options2d().containsKey("weights_file"), "The 2-D weights file is given twice (--weights2d and weights_file in --options2d): "
				+ "keep --weights2d.");
			require(Files.isRegularFile(Paths.get(s.weights2d)), "--weights2d " + s.weights2d + " does not exist or is not a file.");
		}
		if (s.stageOneGap >= 0) {
			require(method == Method.MN || method == Method.MN_CONTROL, "--stage-one-gap ends M&N's warm-up when its two models are close; method "
				+ method + " has no such warm-up. Leave it out, or use --method mn.");
			require(s.validation > 0, "--stage-one-gap compares the two models on held-out volumes: add --validation K (e.g. --validation 8).");
			require(s.validationInterval() < s.stageOne(), "--stage-one-gap checks the warm-up at each validation, but validations come every "
				+ s.validationInterval() + " epochs and the warm-up lasts " + s.stageOne() + ": set --validate-every below " + s.stageOne() + ".");
		}
		if (!s.stageOneFrom.isBlank()) {
			require(method != Method.ORACLE, "--stage-one-from continues a warm-up of both models; the oracle trains no 2-D model. Leave it out.");
			if (!method.hasWarmUp())
				throw new UserError("--stage-one-from applies to methods with a labeled warm-up (mn, mn-control, fixed-pseudo); method " + method + " has none.");
			StageOneReuse.locate(s.stageOneFrom);
		}
	}

	private static boolean positiveRate(double lr) {
		return Double.isFinite(lr) && lr > 0;
	}

	private static void require(boolean ok, String message) {
		if (!ok) throw new UserError(message);
	}

	/** MRI data sets get per-volume z-scores, CT the HU window; anything else is left as it is. */
	static String defaultNormalization(String modality) {
		String m = modality == null ? "" : modality.toLowerCase(Locale.ROOT);
		if (m.contains("ct")) return "ct";
		if (m.contains("mri") || m.contains("mr")) return "mri";
		return "none";
	}

	public Method method() {
		return method;
	}

	/** The data set's dataset.json or folder, absolute. */
	public String dataset() {
		return dataset;
	}

	/** The labeled subset's size; -1 for every labeled training case. */
	public int labeled() {
		return labeled;
	}

	public String preset() {
		return preset;
	}

	public Fingerprint fingerprint() {
		return fingerprint;
	}

	/** A copy of the settings (the plan itself never changes). */
	public TrainingSettings settings() {
		return copy(settings);
	}

	/** Epochs of the labeled warm-up; the whole run for methods without one. */
	public int stageOneEpochs() {
		return method.hasWarmUp() ? settings.stageOne() : settings.epochs;
	}

	/** The epochs (0-based) at which co-training re-predicts the unlabeled volumes' foreground: the start of stage 2 and the fractions asked for. */
	public java.util.SortedSet<Integer> foregroundRefreshEpochs() {
		java.util.TreeSet<Integer> epochs = new java.util.TreeSet<>();
		epochs.add(settings.stageOne());
		for (String f : settings.foregroundRefresh.split(",")) {
			if (f.isBlank()) continue;
			try {
				double fraction = Double.parseDouble(f.trim());
				if (!(fraction >= 0 && fraction <= 1)) throw new NumberFormatException();
				epochs.add((int) Math.round(fraction * settings.epochs));
			} catch (NumberFormatException e) {
				throw new UserError("--foreground-refresh expects fractions of the epochs between 0 and 1 like 0.25,0.5, got '"
					+ settings.foregroundRefresh + "'.");
			}
		}
		return epochs;
	}

	/** The 2-D network's extra options (--options2d) as a map. */
	public Map<String, Object> options2d() {
		if (settings.options2d == null || settings.options2d.isBlank()) return Map.of();
		try {
			Map<String, Object> m = Json.GSON.fromJson(settings.options2d, new com.google.gson.reflect.TypeToken<Map<String, Object>>() {}.getType());
			if (m == null) throw new JsonParseException("null");
			return m;
		} catch (JsonParseException e) {
			throw new UserError("--options2d must be a JSON object like {\"slice_zoom\": 2, \"input_scaling\": \"imagenet\"}, got: " + settings.options2d);
		}
	}

	/** The options among {@code options} whose values differ from this plan's, as "--name (plan, given)". */
	public List<String> differingOptions(Map<String, String> options) {
		TrainingSettings given = copy(settings);
		ConfigOverrides.apply(given, options);
		absolutePaths(given);
		JsonObject mine = Json.GSON.toJsonTree(settings).getAsJsonObject(), theirs = Json.GSON.toJsonTree(given).getAsJsonObject();
		List<String> differing = new ArrayList<>();
		for (String key : mine.keySet())
			if (!mine.get(key).equals(theirs.get(key)))
				differing.add("--" + ConfigOverrides.kebab(key) + " (" + mine.get(key) + " in the run, " + theirs.get(key) + " given)");
		return differing;
	}

	/** The split and subset as provenance says it. */
	public String split() {
		return labeled < 0 ? "train (all labeled)" : "train, labeled." + labeled;
	}

	public JsonObject toJson() {
		JsonObject o = new JsonObject();
		o.addProperty("method", method.id());
		o.addProperty("dataset", dataset);
		o.addProperty("labeled", labeled);
		o.addProperty("preset", preset);
		o.add("fingerprint", Json.GSON.toJsonTree(fingerprint));
		o.add("settings", Json.GSON.toJsonTree(settings));
		return o;
	}

	/**
	 * Reads a plan as {@link #toJson} wrote it, or the flat configuration that checkpoints held before plans existed
	 * (identity and settings side by side, no fingerprint).
	 */
	public static TrainingPlan fromJson(JsonElement json) {
		JsonObject o = json.getAsJsonObject();
		boolean legacy = !o.has("settings");
		TrainingSettings settings = Json.GSON.fromJson(legacy ? o : o.get("settings"), TrainingSettings.class);
		Fingerprint fingerprint = legacy || !o.has("fingerprint") ? null : Json.GSON.fromJson(o.get("fingerprint"), Fingerprint.class);
		return new TrainingPlan(Method.parse(o.get("method").getAsString()), o.get("dataset").getAsString(), o.get("labeled").getAsInt(),
			o.get("preset").getAsString(), fingerprint, settings);
	}

	public void write(Path runDir) {
		Json.write(runDir.resolve(FILE_NAME), toJson());
	}

	public static boolean exists(Path runDir) {
		return Files.isRegularFile(runDir.resolve(FILE_NAME));
	}

	static int[] medianShape(List<int[]> shapes) {
		int[] m = new int[3];
		for (int a = 0; a < 3; a++) {
			final int axis = a;
			int[] v = shapes.stream().mapToInt(s -> s[axis]).sorted().toArray();
			m[a] = v[v.length / 2];
		}
		return m;
	}

	private static TrainingSettings copy(TrainingSettings s) {
		return Json.GSON.fromJson(Json.GSON.toJson(s), TrainingSettings.class);
	}

	@Override
	public String toString() {
		return method + " on " + dataset + " (" + split() + "), preset " + preset + ", patch " + Arrays.toString(settings.patch) + ", " + settings.epochs
			+ " epochs";
	}
}
