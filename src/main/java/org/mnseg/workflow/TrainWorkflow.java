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
import org.mnseg.data.NonFiniteVoxels;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.finetune.FineTuner;
import org.mnseg.finetune.FineTuning;
import org.mnseg.models.NetworkFactory;
import org.mnseg.models.RandomInitialisation;
import org.mnseg.nn.CpuKernelGuard;
import org.mnseg.nn.Network;
import org.mnseg.nn.SliceViews;
import org.mnseg.nn.SliceWise;
import org.mnseg.train.Checkpoint;
import org.mnseg.train.ConfigOverrides;
import org.mnseg.train.LrSchedule;
import org.mnseg.train.Method;
import org.mnseg.train.ModelTrainer;
import org.mnseg.train.Presets;
import org.mnseg.train.RunListener;
import org.mnseg.train.TrainingData;
import org.mnseg.train.TrainingPlan;
import org.mnseg.train.TrainingRun;
import org.mnseg.train.TrainingSettings;
import org.mnseg.util.Json;
import org.mnseg.util.MemoryUsage;
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
	public static final List<String> METHODS = Method.ids();

	/**
	 * What to run. {@code overrides} are option name to value, applied after the preset; {@code overwrite} lets a new
	 * run replace an earlier run's checkpoint and results in {@code runDir}.
	 */
	public record Request(Path dataset, int labeled, String method, String preset, Map<String, String> overrides, Path runDir, boolean resume,
		boolean evaluate, Device device, boolean overwrite) {
		/** A request that replaces nothing. */
		public Request(Path dataset, int labeled, String method, String preset, Map<String, String> overrides, Path runDir, boolean resume,
			boolean evaluate, Device device) {
			this(dataset, labeled, method, preset, overrides, runDir, resume, evaluate, device, false);
		}
	}

	/** Where the results went. */
	public record Result(Path bundle, Path metrics, JsonObject summary) {
		/** Mean foreground Dice on the validation volumes after the last epoch; NaN when none were held out. */
		public double validationDice() {
			return summary.has("validation_dice") ? summary.get("validation_dice").getAsDouble() : Double.NaN;
		}

		/** Mean foreground Dice on the test split; NaN when it was not evaluated. */
		public double testDice() {
			return metrics != null && summary.has("mean") && summary.getAsJsonObject("mean").has("dice")
				? summary.getAsJsonObject("mean").get("dice").getAsDouble() : Double.NaN;
		}

		/** The run's end in one sentence: what was saved and how well it segments, as far as measured. */
		public String ending() {
			StringBuilder b = new StringBuilder("Model saved as " + bundle);
			double v = validationDice(), t = testDice();
			b.append(Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "; validation Dice %.4f", v) : "; no validation volumes held out");
			if (Double.isFinite(t)) b.append(String.format(java.util.Locale.ROOT, "; test Dice %.4f (%s)", t, metrics));
			return b.append('.').toString();
		}
	}

	private TrainWorkflow() {}

	/** Plan, data, networks, run, bundle (and the evaluation on the test split when asked for). */
	public static Result run(Request req, RunListener listener, BooleanSupplier cancelled) {
		TrainingPlan plan = plan(req);
		// before the run folder is claimed and any volume read: a missing file stops the run at once, leaving nothing
		Pretrained2dStart found = Pretrained2dStart.find(plan, req.resume(), listener);
		DatasetSpec spec = DatasetSpec.open(Paths.get(plan.dataset()));
		try (RunFolder folder = RunFolder.claim(req.runDir(), req.resume(), req.overwrite())) {
			plan.write(req.runDir());
			Pretrained2dStart pretrained = found.keptIn(req.runDir(), req.resume());
			return train(req, plan, spec, pretrained, listener, cancelled);
		}
	}

	/** Data, networks, the run, bundle and evaluation, in a run folder this run holds. */
	private static Result train(Request req, TrainingPlan plan, DatasetSpec spec, Pretrained2dStart pretrained, RunListener listener,
		BooleanSupplier cancelled) {
		TrainingData data = TrainingData.load(spec, plan, listener);
		MemoryUsage.shrinkHeapAfterBurst();
		TrainingSettings s = plan.settings();
		listener.message("Training " + plan.method() + " on " + spec.name() + ": " + data + ", patch " + java.util.Arrays.toString(s.patch) + ", "
			+ s.epochs + " epochs");

		try (NDManager manager = NDManager.newBaseManager(req.device()); Networks nets = Networks.build(plan, data, pretrained, manager)) {
			boolean evaluates = req.evaluate() && !spec.test().isEmpty();
			TrainingRun.Outcome outcome = new TrainingRun(plan, data, nets.net3d, nets.net2d, req.runDir(), listener, cancelled)
				.evaluatedAfterwards(evaluates ? spec.test().size() : 0).run(req.resume());
			BundleInfo info = bundleInfo(plan, spec, data);
			if (!pretrained.provenance().isEmpty()) info.pretrained2d = pretrained.provenance();
			ModelBundle bundle = new ModelBundle(info);
			if (nets.net3d != null) bundle.put(ModelBundle.ROLE_3D, nets.net3d.network());
			if (nets.net2d != null) bundle.put(ModelBundle.ROLE_2D, FineTuner.prepareForSaving(nets.net2d.network()));
			bundle.info().defaultModel = nets.net3d != null ? ModelBundle.ROLE_3D : ModelBundle.ROLE_2D;
			Path bundleFile = req.runDir().resolve(BUNDLE_FILE);
			bundle.save(bundleFile);
			listener.message("Saved " + bundleFile);

			JsonObject summary = summary(plan, spec, outcome);
			if (!pretrained.provenance().isEmpty()) summary.add("pretrained2d", Json.GSON.toJsonTree(pretrained.provenance()));
			Path metricsFile = null;
			if (evaluates) {
				JsonObject metrics = TestEvaluation.run(bundle, spec, NonFiniteVoxels.parseReplacement(s.replaceNan), req.device(), listener, cancelled).toJson();
				metricsFile = req.runDir().resolve("metrics.json");
				Json.write(metricsFile, metrics);
				summary.add("mean", metrics.get("mean"));
				summary.add("classes", metrics.get("classes"));
			}
			Json.write(req.runDir().resolve("result.json"), summary);
			return new Result(bundleFile, metricsFile, summary);
		}
	}

	/**
	 * The run's plan: a resumed run's from its checkpoint, a new run's from the data set's fingerprint, the preset and
	 * the options, checked before any volume is read.
	 */
	public static TrainingPlan plan(Request req) {
		Path ckpt = req.runDir().resolve(Checkpoint.FILE_NAME);
		RunFolder.requireUsable(req.runDir(), req.resume(), req.overwrite());
		if (req.resume()) {
			if (!Files.exists(ckpt)) throw new UserError("Cannot resume: " + ckpt + " does not exist. Start the run without --resume.");
			Checkpoint.Header header = Checkpoint.readHeader(ckpt);
			TrainingPlan plan = header.plan();
			List<String> differing = plan.differingOptions(req.overrides());
			if (!differing.isEmpty())
				throw new UserError("A resumed run continues with the settings it started with, but these options differ: " + String.join("; ", differing)
					+ ". Leave them out to resume, or start a new run in another folder.");
			// a run killed after its last epoch but before its results were written resumes to write them
			if (header.nextEpoch() >= plan.settings().epochs && Files.exists(req.runDir().resolve("result.json")))
				throw new UserError("The run in " + req.runDir() + " is finished: it trained all " + plan.settings().epochs + " epochs and wrote its "
					+ "results. There is nothing to resume; to train it again use --overwrite instead of --resume, or choose another --out folder.");
			return plan;
		}
		// what the user typed is checked first, then the data set's files
		Method method = Method.parse(req.method());
		ConfigOverrides.Parsed options = ConfigOverrides.parse(req.overrides());
		Presets.require(req.preset());
		DatasetSpec spec = DatasetSpec.open(req.dataset());
		TrainingPlan plan = TrainingPlan.create(method, req.dataset(), req.labeled(), req.preset(), TrainingPlan.Fingerprint.of(spec, req.labeled()), options);
		NetworkFactory.requireKnown(plan.settings().architecture3d, plan.settings().architecture2d);
		if (method.uses2d()) { // the 2-D network's options and fine-tuning, checked as the network will take them
			NetworkFactory.requireValidOptions2d(plan.settings().architecture2d, plan.options2d());
			fineTuning(plan.settings());
		}
		return plan;
	}

	/** The 2-D network's fine-tuning as the settings give it. */
	static FineTuning fineTuning(TrainingSettings c) {
		return new FineTuning(FineTuning.Strategy.parse(c.fineTuning), c.loraRank, c.loraAlpha, c.loraDropout, c.loraMerge);
	}

	/** The trainers of the networks a plan's method trains (null where it has none). */
	private record Networks(ModelTrainer net3d, ModelTrainer net2d) implements AutoCloseable {
		static Networks build(TrainingPlan plan, TrainingData data, Pretrained2dStart pretrained, NDManager manager) {
			TrainingSettings c = plan.settings();
			ModelTrainer net3d = null, net2d = null;
			try {
				if (plan.method().uses3d()) {
					Network net = NetworkFactory.create(c.architecture3d, unetConfig(c, data), manager, c.seed);
					net3d = new ModelTrainer("3d", net, schedule(plan, c.lr3d), c.weightDecay, c.lossWeightCe, c.lossWeightDice);
				}
				if (plan.method().uses2d()) {
					Network net = NetworkFactory.create(c.architecture2d, net2dConfig(plan, data), manager, c.seed);
					if (c.pretrained2d) pretrained.applyTo(net);
					else RandomInitialisation.apply(net, c.seed);
					net = FineTuner.apply(net, fineTuning(c), c.seed);
					SliceWise.requireSlicesFit(net, c.patch, data.inChannels(), SliceViews.parse(c.views2d));
					net2d = new ModelTrainer("2d", net, SliceViews.parse(c.views2d), c.passSlices2d, schedule(plan, c.lr2d), c.weightDecay, c.lossWeightCe,
						c.lossWeightDice);
				}
				return new Networks(net3d, net2d);
			} catch (RuntimeException e) {
				if (net3d != null) net3d.close();
				throw e;
			}
		}

		@Override
		public void close() {
			if (net3d != null) net3d.close();
			if (net2d != null) net2d.close();
		}
	}

	/** The reference schedule: warm-up then cosine over stage 1, restarted for stage 2 when the method has one. */
	static LrSchedule schedule(TrainingPlan plan, double lr) {
		TrainingSettings c = plan.settings();
		return new LrSchedule(lr, c.warmupEpochs, plan.stageOneEpochs(), c.epochs);
	}

	static Map<String, Object> net2dConfig(TrainingPlan plan, TrainingData data) {
		Map<String, Object> m = new LinkedHashMap<>();
		// 2.5-D: the network takes three channels and nn.SliceWise fills them with each slice and its neighbours
		m.put("in_channels", plan.settings().input2d.equals("2.5d") ? 3 : data.inChannels());
		m.put("num_classes", data.numClasses());
		m.putAll(plan.options2d());
		// the TFLite networks are built from their file, so the factory reads the one the user named
		String weights = plan.settings().weights2d;
		if (!weights.isBlank() && NetworkFactory.buildsFromPretrainedFile(plan.settings().architecture2d)) m.put("weights_file", weights);
		return m;
	}

	static Map<String, Object> unetConfig(TrainingSettings c, TrainingData data) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("in_channels", data.inChannels());
		m.put("num_classes", data.numClasses());
		m.put("levels", c.levels);
		m.put("base_filters", c.baseFilters);
		return m;
	}

	static BundleInfo bundleInfo(TrainingPlan plan, DatasetSpec spec, TrainingData data) {
		TrainingSettings c = plan.settings();
		BundleInfo info = new BundleInfo();
		info.method = plan.method().id();
		for (int k = 0; k < spec.numClasses(); k++) info.classNames.add(spec.classNames().getOrDefault(k, "class " + k));
		info.inChannels = data.inChannels();
		info.window = new BundleInfo.Window(c.patch, c.overlap, c.blend, c.windowBatch);
		info.normalization = c.normalization;
		info.views2d = c.views2d;
		info.spacing = data.spacing();
		info.preset = plan.preset();
		info.dataset = plan.dataset();
		info.datasetName = spec.name();
		info.split = plan.split();
		info.labeled = data.labeled().size();
		info.labeledCases = data.labeledIds();
		info.seed = c.seed;
		info.epochs = c.epochs;
		info.codeVersion = Version.describe();
		info.created = Instant.now().toString();
		info.plan = Json.GSON.fromJson(plan.toJson(), new com.google.gson.reflect.TypeToken<Map<String, Object>>() {}.getType());
		return info;
	}

	static JsonObject summary(TrainingPlan plan, DatasetSpec spec, TrainingRun.Outcome o) {
		TrainingSettings c = plan.settings();
		JsonObject s = new JsonObject();
		s.addProperty("dataset", spec.name());
		s.addProperty("dataset_path", plan.dataset());
		s.addProperty("split", "test");
		s.addProperty("labeled", plan.labeled() < 0 ? spec.train().size() : plan.labeled());
		s.addProperty("method", plan.method().id());
		s.addProperty("preset", plan.preset());
		s.addProperty("epochs", c.epochs);
		s.addProperty("steps", (long) c.epochs * c.iterationsPerEpoch);
		if (plan.method().hasWarmUp()) s.addProperty("stage_one_epochs", o.stageOneEpochs());
		s.addProperty("seed", c.seed);
		s.addProperty("train_seconds", Math.round(o.trainSeconds() * 10) / 10.0);
		s.addProperty("peak_rss_mb", Math.round(o.peakRssMb()));
		o.finalLoss().forEach((model, loss) -> s.addProperty("final_loss_" + model, loss));
		if (Double.isFinite(o.validationDice())) s.addProperty("validation_dice", o.validationDice());
		s.addProperty("threads", Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
		s.addProperty("code_version", Version.describe());
		s.addProperty("commit", Version.commit());
		s.addProperty("cpu_kernels", CpuKernelGuard.effectiveCap() == null ? "default" : CpuKernelGuard.effectiveCap());
		s.addProperty("processor", CpuKernelGuard.processorId()); // training time compares only on one processor
		s.add("config", Json.GSON.toJsonTree(c));
		s.add("plan", plan.toJson());
		return s;
	}
}
