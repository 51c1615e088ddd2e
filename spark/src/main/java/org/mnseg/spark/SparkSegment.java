package org.mnseg.spark;

import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.mnseg.batch.BatchSegmentation;
import org.mnseg.batch.Shard;
import org.mnseg.batch.ShardPlan;
import org.mnseg.nn.EngineEnvironment;
import org.mnseg.util.UserError;
import org.mnseg.workflow.SegmentWorkflow;
import org.mnseg.inference.Segmenter;

/**
 * {@code mn segment} on Apache Spark: the volumes still without output are split into partitions balanced by voxel
 * count ({@link ShardPlan}, as the SLURM array tasks do), each executor reads the model bundle once
 * ({@link ExecutorSegmenters}) and segments its partitions with the plugin's own code, so that the labels are those of
 * {@code mn segment} voxel for voxel. Restartable like a SLURM array: done volumes are skipped, failures noted in
 * {@code <output>/.mn-failed/}. Input, output and bundle paths must be visible to every executor (a shared file
 * system); the bundle is also shipped to the executors by Spark ({@code addFile}).
 * <p>
 * Master: {@code local[*]} (every core of this machine, no set-up) unless {@code --master} or spark-submit sets one.
 */
public final class SparkSegment {
	static final String USAGE = String.join("\n",
		"usage: mn-spark segment --model BUNDLE --input FILE_OR_DIR_OR_LIST --output DIR [options]",
		"",
		"  --model BUNDLE       a .mnmodel file written by mn train",
		"  --input ...          a volume, a folder of volumes, or a .txt list of volume files (one a line)",
		"  --output DIR         where <name>.nii.gz (<name>.tif for TIFF input) label images go",
		"  --master URL         Spark master (default: the one spark-submit gives, else local[*])",
		"  --partitions N       parts the volumes are split into (default: 4 per core of the cluster)",
		"  --role 3d|2d|ensemble  which of the bundle's networks segments (default: the bundle's); ensemble: both of",
		"                       an M&N bundle's, the mean of their class probabilities",
		"  --probabilities      also write <name>_foreground_probability",
		"",
		"PyTorch threads per task: spark.task.cpus (default 1). Exit code 3 when volumes failed; check the",
		"output with: mn segment --report --input ... --output DIR");

	private SparkSegment() {}

	/**
	 * What became of one volume, and where: the executor, and how often that executor's JVM had read a bundle by
	 * then (1 when it read it once, however many partitions it ran).
	 */
	public record Outcome(String input, String status, String message, String executor, int executorBundleLoads) implements Serializable {
		private static final long serialVersionUID = 1L;
	}

	/** The outcome of a job: volumes done before, and one {@link Outcome} per volume segmented or failed. */
	public record Summary(int total, int doneBefore, List<Outcome> outcomes) {
		public long failed() {
			return outcomes.stream().filter(o -> o.status().equals("failed")).count();
		}
	}

	public static void main(String[] argv) {
		System.exit(run(argv, System.out, System.err));
	}

	/** Parses the options, runs the job in a Spark context of its own, returns the exit code. */
	public static int run(String[] argv, PrintStream out, PrintStream err) {
		Map<String, String> o;
		try {
			o = options(argv);
			if (o.containsKey("help")) {
				out.println(USAGE);
				return 0;
			}
			Path model = Paths.get(required(o, "model", "the .mnmodel bundle")).toAbsolutePath();
			List<Path> inputs = SegmentWorkflow.inputs(Paths.get(required(o, "input", "a volume, folder or .txt list")));
			Path output = Paths.get(required(o, "output", "the output folder")).toAbsolutePath();
			if (!java.nio.file.Files.isRegularFile(model)) throw new UserError("The model bundle " + model + " does not exist.");
			BatchSegmentation.requireOutputApart(inputs, output);
			int partitions = o.containsKey("partitions") ? positive(o.get("partitions"), "--partitions") : 0;
			SparkConf conf = new SparkConf().setAppName("mn segment");
			if (o.containsKey("master")) conf.setMaster(o.get("master"));
			else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
			try (JavaSparkContext sc = new JavaSparkContext(conf)) {
				sc.setLogLevel("WARN");
				Summary s = segment(sc, model, inputs, output, o.containsKey("probabilities"), partitions, o.get("role"));
				for (Outcome x : s.outcomes()) out.println(Paths.get(x.input()).getFileName() + ": " + x.status() + " on executor " + x.executor()
					+ (x.message() == null ? "" : ": " + x.message()));
				out.println(s.total() + " volume(s): " + s.doneBefore() + " done before, " + (s.outcomes().size() - s.failed()) + " segmented, "
					+ s.failed() + " failed");
				if (s.failed() > 0) {
					err.println("mn-spark: " + s.failed() + " volume(s) failed (reasons in " + output.resolve(BatchSegmentation.FAILED_FOLDER)
						+ "); fix them and run the same command again, done volumes are skipped.");
					return 3;
				}
				return 0;
			}
		}
		catch (UserError e) {
			err.println("mn-spark: " + e.getMessage());
			return 2;
		}
	}

	/**
	 * Segments the {@code inputs} without complete output across the context's executors, in {@code partitions} parts
	 * (0: four per core).
	 */
	public static Summary segment(JavaSparkContext sc, Path model, List<Path> inputs, Path output, boolean probabilities, int partitions, String role) {
		// a retried task (lost executor) skips what its first attempt finished, as BatchSegmentation.run checks again
		List<Path> pending = BatchSegmentation.pending(inputs, output, probabilities);
		if (pending.isEmpty()) return new Summary(inputs.size(), inputs.size(), List.of());
		int count = Math.min(pending.size(), partitions > 0 ? partitions : 4 * sc.defaultParallelism());
		ShardPlan plan = ShardPlan.of(pending, count);
		List<List<String>> parts = new ArrayList<>();
		for (int i = 0; i < count; i++) parts.add(plan.part(new Shard(i, count)).stream().map(Path::toString).toList());
		sc.addFile(model.toString());
		String bundleName = model.getFileName().toString(), out = output.toString();
		// one element per slice: each partition is one part of the plan
		List<Outcome> outcomes = sc.parallelize(parts, count).flatMap(part -> segmentPart(part, bundleName, role, out, probabilities).iterator()).collect();
		return new Summary(inputs.size(), inputs.size() - pending.size(), outcomes);
	}

	/** On an executor: segments one part with the executor's network. */
	private static List<Outcome> segmentPart(List<String> part, String bundleName, String role, String output, boolean probabilities) {
		configureEngine();
		String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
		Segmenter segmenter = ExecutorSegmenters.borrow(Paths.get(SparkFiles.get(bundleName)), role);
		try {
			List<Path> files = part.stream().map(Paths::get).toList();
			BatchSegmentation.Result r = BatchSegmentation.run(segmenter, files, Paths.get(output), probabilities,
				BatchSegmentation.Listener.NONE, null);
			List<Outcome> outcomes = new ArrayList<>();
			int loads = ExecutorSegmenters.bundleLoads;
			for (Path f : r.segmented()) outcomes.add(new Outcome(f.toString(), "segmented", null, executor, loads));
			r.failed().forEach((f, why) -> outcomes.add(new Outcome(f.toString(), "failed", why, executor, loads)));
			return outcomes;
		}
		finally {
			ExecutorSegmenters.giveBack(segmenter);
		}
	}

	/**
	 * PyTorch reads its thread count and kernel settings once, when the engine starts in this JVM: one thread per CPU
	 * Spark gives a task, unless the JVM was started with -Dai.djl.pytorch.num_threads.
	 */
	private static void configureEngine() {
		TaskContext task = TaskContext.get();
		if (System.getProperty("ai.djl.pytorch.num_threads") == null)
			System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(task == null ? 1 : Math.max(1, task.cpus())));
		if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
		if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
		// kernels that compute correctly on this executor's processor, and huge pages, as the command line does
		EngineEnvironment.beforeEngineStart();
	}

	private static Map<String, String> options(String[] argv) {
		Map<String, String> o = new LinkedHashMap<>();
		List<String> flags = List.of("probabilities", "help");
		List<String> valued = List.of("model", "input", "output", "master", "partitions", "role");
		int i = argv.length > 0 && argv[0].equals("segment") ? 1 : 0;
		for (; i < argv.length; i++) {
			String a = argv[i];
			String name = a.startsWith("--") ? a.substring(2) : null;
			if (name != null && flags.contains(name)) o.put(name, "true");
			else if (name != null && valued.contains(name)) {
				if (i + 1 >= argv.length) throw new UserError("option --" + name + " needs a value.");
				o.put(name, argv[++i]);
			}
			else throw new UserError("unexpected argument '" + a + "'. See mn-spark --help.");
		}
		return o;
	}

	private static String required(Map<String, String> o, String name, String what) {
		String v = o.get(name);
		if (v == null) throw new UserError("--" + name + " is required (" + what + ").");
		return v;
	}

	private static int positive(String v, String name) {
		try {
			int n = Integer.parseInt(v.strip());
			if (n >= 1) return n;
		}
		catch (NumberFormatException e) {
			// below
		}
		throw new UserError(name + " expects a whole number of at least 1, got '" + v + "'.");
	}
}
