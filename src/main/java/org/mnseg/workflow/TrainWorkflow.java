package org.mnseg.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.mnseg.bundle.BundleInfo;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.data.Normalization;
import org.mnseg.finetune.FineTuner;
import org.mnseg.finetune.FineTuning;
import org.mnseg.models.RandomInitialisation;
import org.mnseg.nn.Network;
import org.mnseg.models.NetworkFactory;
import org.mnseg.train.Checkpoint;
import org.mnseg.train.ConfigOverrides;
import org.mnseg.train.TrainingRun;
import org.mnseg.train.LrSchedule;
import org.mnseg.train.ModelTrainer;
import org.mnseg.train.Presets;
import org.mnseg.train.TrainingConfig;
import org.mnseg.train.TrainingData;
import org.mnseg.train.TrainingListener;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;
import org.mnseg.util.Version;

import com.google.gson.JsonObject;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * A whole training run as the user asks for it: data set in, run folder out ({@code model.mnmodel}, {@code log.csv},
 * {@code checkpoint.mnckpt}, and on data sets with a test split {@code metrics.json} and {@code result.json}).
 * The command line and the Fiji command both call this.
 */
public final class TrainWorkflow {
	public static final String BUNDLE_FILE = "model" + ModelBundle.FILE_EXTENSION;
	public static final List<String> METHODS = TrainingRun.METHODS;

	/** What to run. {@code overrides} are option name to value, applied after the preset. */
	public record Request(Path dataset, int labeled, String method, String preset, Map<String, String> overrides, Path runDir, boolean resume,
		boolean evaluate, Device device) {}

	/** Where the results went. */
	public record Result(Path bundle, Path metrics, JsonObject summary) {}

	private TrainWorkflow() {}

	public static Result run(Request req, TrainingListener listener, BooleanSupplier cancelled) {
		Path ckpt = req.runDir().resolve(Checkpoint.FILE_NAME);
		if (!req.resume() && Files.exists(ckpt))
			throw new UserError("The run folder " + req.runDir() + " already holds a checkpoint. Add --resume to continue that run, or choose another --out folder.");
		if (!req.resume() && !METHODS.contains(req.method()))
			throw new UserError("Unknown method '" + req.method() + "'. Available: " + String.join(", ", METHODS) + ".");

		// check option names and values before spending time on reading data
		ConfigOverrides.apply(new TrainingConfig(), req.overrides());

		TrainingConfig config;
		DatasetSpec spec;
		TrainingData data;
		if (req.resume()) {
			config = Checkpoint.readConfig(ckpt);
			spec = DatasetSpec.open(Paths.get(config.dataset));
			data = TrainingData.load(spec, config.labeled, TrainingRun.isSemiSupervised(config.method), config.validation, Normalization.parse(config.normalization), listener);
		} else {
			spec = DatasetSpec.open(req.dataset());
			config = new TrainingConfig();
			config.method = req.method();
			config.dataset = req.dataset().toAbsolutePath().normalize().toString();
			config.labeled = req.labeled();
			config.normalization = defaultNormalization(spec.modality());
			// the cpu preset sizes the patch from the volumes, so the labeled data is read first
			Map<String, String> overrides = new LinkedHashMap<>(req.overrides());
			String norm = overrides.remove("normalization");
			if (norm != null) config.normalization = Normalization.parse(norm).name().toLowerCase(java.util.Locale.ROOT);
			if (overrides.containsKey("validation")) ConfigOverrides.apply(config, Map.of("validation", overrides.get("validation")));
			data = TrainingData.load(spec, config.labeled, TrainingRun.isSemiSupervised(config.method), config.validation, Normalization.parse(config.normalization),
				listener);
			Presets.apply(req.preset(), config, data.medianShape());
			ConfigOverrides.apply(config, overrides);
			// recorded as provenance, so it must name the file wherever the run is looked at from
			if (!config.stageOneFrom.isBlank()) config.stageOneFrom = Paths.get(config.stageOneFrom).toAbsolutePath().normalize().toString();
			if (!config.pretrained2d && !config.fineTuning.equals("whole") && !config.method.equals("labeled-only"))
				throw new UserError("--pretrained2d false starts the 2-D network from random weights; --fine-tuning " + config.fineTuning
					+ " would keep most of them frozen at random values. Add --fine-tuning whole.");
		}
		try {
			Files.createDirectories(req.runDir());
		} catch (java.io.IOException e) {
			throw new UserError("Cannot create the run folder " + req.runDir() + ": " + e.getMessage(), e);
		}
		listener.message("Training " + config.method + " on " + spec.name() + ": " + data + ", patch " + java.util.Arrays.toString(config.patch) + ", "
			+ config.epochs + " epochs");

		try (NDManager manager = NDManager.newBaseManager(req.device())) {
			ModelTrainer trainer3d = null;
			ModelTrainer trainer2d = null;
			try {
				if (!config.method.equals("2d-only")) {
					Network net = NetworkFactory.create(config.architecture3d, unetConfig(config, data), manager, config.seed);
					trainer3d = new ModelTrainer("3d", net, schedule(config, config.lr3d), config.weightDecay, config.lossWeightCe, config.lossWeightDice);
				}
				if (!config.method.equals("labeled-only")) {
					Network net = NetworkFactory.create(config.architecture2d, net2dConfig(config, data), manager, config.seed);
					if (!config.pretrained2d) RandomInitialisation.apply(net, config.seed);
					net = FineTuner.apply(net, new FineTuning(FineTuning.Strategy.parse(config.fineTuning), config.loraRank, config.loraAlpha,
						config.loraDropout, config.loraMerge), config.seed);
					trainer2d = new ModelTrainer("2d", net, schedule(config, config.lr2d), config.weightDecay, config.lossWeightCe, config.lossWeightDice);
				}
				TrainingRun.Outcome outcome = new TrainingRun(config, data, trainer3d, trainer2d, req.runDir(), listener, cancelled).run(req.resume());
				ModelBundle bundle = new ModelBundle(bundleInfo(config, spec, data));
				if (trainer3d != null) bundle.put("3d", trainer3d.network());
				if (trainer2d != null) bundle.put("2d", FineTuner.prepareForSaving(trainer2d.network()));
				bundle.info().defaultModel = trainer3d != null ? "3d" : "2d";
				Path bundleFile = req.runDir().resolve(BUNDLE_FILE);
				bundle.save(bundleFile);
				listener.message("Saved " + bundleFile);

				JsonObject summary = summary(config, spec, outcome);
				Path metricsFile = null;
				if (req.evaluate() && !spec.test().isEmpty()) {
					JsonObject metrics = TestEvaluation.run(bundle, spec, req.device(), listener, cancelled).toJson();
					metricsFile = req.runDir().resolve("metrics.json");
					Json.write(metricsFile, metrics);
					summary.add("mean", metrics.get("mean"));
					summary.add("classes", metrics.get("classes"));
				}
				Json.write(req.runDir().resolve("result.json"), summary);
				return new Result(bundleFile, metricsFile, summary);
			} finally {
				if (trainer3d != null) trainer3d.close();
				if (trainer2d != null) trainer2d.close();
			}
		}
	}

	/** The reference schedule: warm-up then cosine over stage 1, restarted for stage 2 when the method has one. */
	static LrSchedule schedule(TrainingConfig c, double lr) {
		int stageOne = TrainingRun.isSemiSupervised(c.method) ? c.stageOne() : c.epochs;
		return new LrSchedule(lr, c.warmupEpochs, stageOne, c.epochs);
	}

	static Map<String, Object> net2dConfig(TrainingConfig c, TrainingData data) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("in_channels", data.inChannels());
		m.put("num_classes", data.numClasses());
		if (c.options2d != null && !c.options2d.isBlank()) {
			try {
				Map<String, Object> extra = Json.GSON.fromJson(c.options2d, new com.google.gson.reflect.TypeToken<Map<String, Object>>() {}.getType());
				m.putAll(extra);
			} catch (com.google.gson.JsonParseException e) {
				throw new UserError("--options2d must be a JSON object like {\"slice_zoom\": 2, \"input_scaling\": \"imagenet\"}, got: " + c.options2d);
			}
		}
		return m;
	}

	static Map<String, Object> unetConfig(TrainingConfig c, TrainingData data) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("in_channels", data.inChannels());
		m.put("num_classes", data.numClasses());
		m.put("levels", c.levels);
		m.put("base_filters", c.baseFilters);
		return m;
	}

	/** MRI data sets get per-volume z-scores, CT the HU window; anything else is left as it is. */
	static String defaultNormalization(String modality) {
		String m = modality == null ? "" : modality.toLowerCase(java.util.Locale.ROOT);
		if (m.contains("ct")) return "ct";
		if (m.contains("mri") || m.contains("mr")) return "mri";
		return "none";
	}

	static BundleInfo bundleInfo(TrainingConfig c, DatasetSpec spec, TrainingData data) {
		BundleInfo info = new BundleInfo();
		info.method = c.method;
		for (int k = 0; k < spec.numClasses(); k++) info.classNames.add(spec.classNames().getOrDefault(k, "class " + k));
		info.inChannels = data.inChannels();
		info.window = new BundleInfo.Window(c.patch, c.overlap, c.blend, c.windowBatch);
		info.normalization = c.normalization;
		info.spacing = data.spacing();
		info.preset = c.preset;
		info.dataset = c.dataset;
		info.datasetName = spec.name();
		info.split = c.labeled < 0 ? "train (all labeled)" : "train, labeled." + c.labeled;
		info.labeled = data.labeled().size();
		info.labeledCases = data.labeledIds();
		info.seed = c.seed;
		info.epochs = c.epochs;
		info.codeVersion = Version.describe();
		info.created = Instant.now().toString();
		info.training = c.asMap();
		return info;
	}

	static JsonObject summary(TrainingConfig c, DatasetSpec spec, TrainingRun.Outcome o) {
		JsonObject s = new JsonObject();
		s.addProperty("dataset", spec.name());
		s.addProperty("dataset_path", c.dataset);
		s.addProperty("split", "test");
		s.addProperty("labeled", c.labeled < 0 ? spec.train().size() : c.labeled);
		s.addProperty("method", c.method);
		s.addProperty("preset", c.preset);
		s.addProperty("epochs", c.epochs);
		s.addProperty("steps", (long) c.epochs * c.iterationsPerEpoch);
		s.addProperty("seed", c.seed);
		s.addProperty("train_seconds", Math.round(o.trainSeconds() * 10) / 10.0);
		s.addProperty("peak_rss_mb", Math.round(o.peakRssMb()));
		o.finalLoss().forEach((model, loss) -> s.addProperty("final_loss_" + model, loss));
		s.addProperty("threads", Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
		s.addProperty("code_version", Version.describe());
		s.add("config", Json.GSON.toJsonTree(c));
		return s;
	}
}
