package org.mnseg.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.mnseg.data.NonFiniteVoxels;
import org.mnseg.batch.BatchSegmentation;
import org.mnseg.batch.Shard;
import org.mnseg.batch.ShardPlan;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.inference.Segmenter;
import org.mnseg.inference.SlidingWindow;
import org.mnseg.inference.WindowSettings;
import org.mnseg.util.Devices;
import org.mnseg.util.UserError;
import org.mnseg.workflow.SegmentWorkflow;

/** {@code mn segment}. */
final class SegmentCommand {
	private SegmentCommand() {}

	static final String HELP = String.join("\n",
		"usage: mn segment --model BUNDLE --input FILE_OR_DIR --output DIR [options]",
		"       mn segment --report --input FILE_OR_DIR --output DIR [--probabilities]",
		"",
		"  --model BUNDLE       a .mnmodel file written by mn train or M&N Co-Train",
		"  --input FILE_OR_DIR  a volume (.nii, .nii.gz, .tif, .h5), a folder of them, or a .txt list of volume files",
		"                       (one path a line, relative to the list's folder)",
		"  --output DIR         where <name>.nii.gz (or <name>.tif for TIFF input) label images go",
		"  --role 3d|2d|ensemble  which of the bundle's networks segments (default: the bundle's default, 3d);",
		"                       ensemble: both of an M&N bundle's, the mean of their class probabilities",
		"  --overlap F          sliding-window overlap in [0, 1) (default: the bundle's, 0.5)",
		"  --blend uniform|gaussian  how overlapping windows are averaged (default: the bundle's, uniform)",
		"  --window-batch N     windows per forward pass of a 3-D network (default 8; a 2-D network takes one window's slices per pass)",
		"  --probabilities      also write <name>_foreground_probability (1 - P(background))",
		"  --replace-nan VALUE  put VALUE (e.g. 0) in place of NaN and infinite voxels as a volume is read",
		"                       (without it, such a volume is refused, naming the file and the count)",
		"  --overwrite          replace output files that exist already (without it, existing outputs stop the",
		"                       command before anything is segmented); an input is never replaced",
		"  --threads T, --device auto|cpu|gpu",
		"",
		"Cohorts (SLURM job arrays, see scripts/cluster/segment-array.sbatch):",
		"  --shard I/N          segment only part I (from 0) of N, balanced by voxel count; every volume is in",
		"                       exactly one part. Volumes whose output exists are skipped (re-run a killed part",
		"                       to finish it); a volume that fails is noted in DIR/.mn-failed/ and the others go on.",
		"                       Exit code 3 when a volume failed.",
		"  --skip-existing      the same skipping and failure notes without sharding (existing outputs are kept,",
		"                       so neither goes with --overwrite)",
		"  --report             segment nothing: list the volumes whose output is missing or failed; exit code 3",
		"                       when any is, 0 when all are done");

	/** {@code stop}: asked to stop (SIGTERM, Ctrl-C); polled at the command's safe points. */
	static int run(List<String> argv, PrintStream out, java.util.function.BooleanSupplier stop) {
		if (argv.contains("--help")) {
			out.println(HELP);
			return 0;
		}
		Args a = new Args("segment", argv, Set.of("probabilities", "report", "skip-existing", "overwrite"));
		if (a.flag("report")) return report(a, out);
		Path model = a.path("model", "the .mnmodel bundle");
		Path input = a.path("input", "a volume file, a folder or a .txt list");
		Path output = a.path("output", "the output folder");
		Shard shard = a.has("shard") ? Shard.parse(a.get("shard", null)) : null;
		boolean skipExisting = a.flag("skip-existing");
		boolean overwrite = a.flag("overwrite");
		String role = a.get("role", null);
		boolean probabilities = a.flag("probabilities");
		String device = a.get("device", "auto");
		a.get("threads", null);
		// every option is read before anything slow, so a typo fails at once, even where nothing is left to segment
		Double overlap = a.has("overlap") ? a.number("overlap", 0.5) : null;
		String blend = a.get("blend", null);
		Integer windowBatch = a.has("window-batch") ? a.integer("window-batch", WindowSettings.DEFAULT_BATCH) : null;
		Float replaceNan = NonFiniteVoxels.parseReplacement(a.get("replace-nan", null));
		a.checkAllUsed();
		if (overwrite && (shard != null || skipExisting))
			throw new UserError("mn segment: --overwrite replaces existing outputs, but " + (shard != null ? "--shard" : "--skip-existing")
				+ " keeps them (it segments only the missing ones). Give one or the other.");
		if (shard == null && !skipExisting) {
			ModelBundle bundle = ModelBundle.load(model);
			// every output checked before the first volume is segmented: nothing is written when one output would destroy a file
			SegmentWorkflow.requireSafeOutputs(SegmentWorkflow.inputs(input), output, probabilities, overwrite);
			ConsoleProgress progress = new ConsoleProgress(out);
			try (Segmenter segmenter = new Segmenter(bundle, role, Devices.resolve(device), window(bundle, overlap, blend, windowBatch))) {
				for (Path p : SegmentWorkflow.run(segmenter, input, output, probabilities, replaceNan, progress, stop)) out.println("wrote " + p);
			}
			return 0;
		}

		// timings in the log, so that a cluster's task logs show what start-up, planning and the model cost
		long jvmUp = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(), t0 = System.nanoTime();
		List<Path> inputs = SegmentWorkflow.inputs(input);
		BatchSegmentation.requireOutputApart(inputs, output);
		// existing outputs are skipped below, never replaced
		SegmentWorkflow.requireSafeOutputs(inputs, output, probabilities, true);
		if (shard != null) {
			ShardPlan plan = ShardPlan.of(inputs, shard.count());
			List<Path> part = plan.part(shard);
			out.println("shard " + shard + ": " + part.size() + " of " + inputs.size() + " volume(s), " + plan.voxels(shard.index()) + " voxels"
				+ String.format(" (JVM started in %.2f s, plan from %d headers in %.2f s)", jvmUp / 1e3, inputs.size(), seconds(t0)));
			inputs = part;
		}
		List<Path> pending = BatchSegmentation.pending(inputs, output, probabilities);
		out.println((inputs.size() - pending.size()) + " volume(s) done before, " + pending.size() + " to segment");
		// nothing to do: not even the bundle is loaded, so re-running a finished array costs seconds
		if (pending.isEmpty()) return 0;
		long t1 = System.nanoTime();
		ModelBundle bundle = ModelBundle.load(model);
		BatchSegmentation.Result r;
		try (Segmenter segmenter = new Segmenter(bundle, role, Devices.resolve(device), window(bundle, overlap, blend, windowBatch))) {
			out.println(String.format("model loaded in %.2f s (engine start and bundle)", seconds(t1)));
			long t2 = System.nanoTime();
			r = BatchSegmentation.run(segmenter, pending, output, probabilities, replaceNan, (f, outcome) -> out.println(f.getFileName() + ": " + outcome), stop);
			int n = r.segmented().size() + r.failed().size();
			out.println(r.segmented().size() + " segmented, " + r.failed().size() + " failed"
				+ String.format(" in %.2f s (%.3f s per volume)", seconds(t2), n == 0 ? 0 : seconds(t2) / n));
		}
		if (r.failed().isEmpty()) return 0;
		throw new BatchFailure(r.failed().size() + " volume(s) failed (reasons in " + output.resolve(BatchSegmentation.FAILED_FOLDER)
			+ "); fix them and run the same command again, done volumes are skipped.");
	}

	private static double seconds(long sinceNanos) {
		return (System.nanoTime() - sinceNanos) / 1e9;
	}

	/** The bundle's sliding-window settings with the command line's changes (null: the bundle's). */
	/** The bundle's window, with what the options change. */
	private static WindowSettings window(ModelBundle bundle, Double overlap, String blend, Integer windowBatch) {
		WindowSettings window = Segmenter.defaultWindow(bundle.info());
		if (overlap != null) window = window.withOverlap(overlap);
		if (blend != null) window = window.withBlending(SlidingWindow.Blending.parse(blend));
		if (windowBatch != null) window = window.withBatch(windowBatch);
		return window;
	}

	private static int report(Args a, PrintStream out) {
		Path input = a.path("input", "the volumes that were to be segmented: file, folder or .txt list");
		Path output = a.path("output", "the output folder of the segmentation");
		boolean probabilities = a.flag("probabilities");
		a.checkAllUsed();
		BatchSegmentation.Report r = BatchSegmentation.report(SegmentWorkflow.inputs(input), output, probabilities);
		r.lines().forEach(out::println);
		if (r.complete()) return 0;
		throw new BatchFailure(r.missing().size() + " of " + r.total() + " volume(s) have no complete output in " + output + ".");
	}
}
