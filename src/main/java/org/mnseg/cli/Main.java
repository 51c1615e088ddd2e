package org.mnseg.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.mnseg.nn.CpuKernelGuard;
import org.mnseg.nn.EngineEnvironment;
import org.mnseg.nn.EngineThreads;
import org.mnseg.util.CrashReport;
import org.mnseg.util.DiskFullError;
import org.mnseg.util.StopOnExit;
import org.mnseg.util.UserError;
import org.mnseg.util.Version;

/**
 * The {@code mn} command line: {@code train}, {@code segment}, {@code evaluate}, {@code suggest}, {@code export}. User mistakes print one clear
 * message (exit 2); a batch with volumes missing or failed exits 3; cancellation exits 130 (SIGTERM and Ctrl-C stop a command at its next safe point: {@link StopOnExit}); a fault of M&N itself (exit 1) prints one line naming a log file with the trace (util.CrashReport).
 */
public final class Main {
	private Main() {}

	static final String USAGE = String.join("\n",
		"M&N for Fiji " + Version.describe() + ": semi-supervised 3D segmentation (command line)",
		"",
		"usage: mn <command> [options]",
		"  train     train a model on a data set (dataset.json or images/ labels/ unlabeled/ folders)",
		"  segment   segment volumes with a trained model bundle (.mnmodel)",
		"  evaluate  Dice, Jaccard, HD95, ASD of predictions against ground truth",
		"  suggest   rank unlabeled volumes and slices by where the 3D and 2D models disagree: what to annotate next",
		"  export    write a model bundle's 3D UNet as a BioImage.IO model (.zip) for napari, ilastik, BiaPy",
		"  models    list the networks, fetch pretrained weights, verify them against reference outputs",
		"",
		"Common options: --threads N (PyTorch threads; default: all cores), --device auto|cpu|gpu",
		"Run 'mn <command> --help' for the options of a command.");

	public static void main(String[] argv) {
		int code;
		try (StopOnExit stop = new StopOnExit("mn", System.err)) {
			code = run(argv, System.out, System.err, stop::requested);
		}
		System.exit(code);
	}

	/** Runs a command and returns the exit code (tests call this directly). */
	public static int run(String[] argv, PrintStream out, PrintStream err) {
		return run(argv, out, err, () -> false);
	}

	/** {@link #run(String[], PrintStream, PrintStream)}; {@code stop}: the long commands' cancel check (an exit of the JVM). */
	static int run(String[] argv, PrintStream out, PrintStream err, BooleanSupplier stop) {
		if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
			out.println(USAGE);
			return argv.length == 0 ? 2 : 0;
		}
		List<String> rest = Arrays.asList(argv).subList(1, argv.length);
		try {
			configureThreads(rest);
			switch (argv[0]) {
				case "--version":
					return version(out);
				case "train":
					return TrainCommand.run(rest, out, stop);
				case "segment":
					return SegmentCommand.run(rest, out, stop);
				case "evaluate":
					return EvaluateCommand.run(rest, out);
				case "suggest":
					return SuggestCommand.run(rest, out, stop);
				case "export":
					return ExportCommand.run(rest, out);
				case "models":
					return ModelsCommand.run(rest, out);
				default:
					err.println("mn: unknown command '" + argv[0] + "'. The commands are train, segment, evaluate, suggest, export and models; see mn --help.");
					return 2;
			}
		} catch (UserError e) {
			err.println(prefixed(argv[0], e.getMessage()));
			return 2;
		} catch (BatchFailure e) {
			err.println("mn " + argv[0] + ": " + e.getMessage());
			return BatchFailure.EXIT_CODE;
		} catch (CancellationException e) {
			// training's own message says how to resume; a stopped segmentation keeps the volumes it wrote
			err.println("mn " + argv[0] + ": " + e.getMessage() + (argv[0].equals("segment")
				? ". The volumes written are kept: the same command with --skip-existing segments the rest." : ""));
			return 130;
		} catch (RuntimeException | Error e) {
			// a full disk met by a write outside AtomicFiles (a library's own file): still the user's one line
			DiskFullError full = DiskFullError.of(null, e);
			if (full != null) {
				err.println(prefixed(argv[0], full.getMessage()));
				return 2;
			}
			// a fault of M&N itself: one line, the trace in a log file (or here when the file cannot be written)
			String line = CrashReport.write("mn " + String.join(" ", argv), e);
			err.println("mn " + argv[0] + ": " + line);
			if (line.endsWith("follows.")) e.printStackTrace(err);
			return 1;
		}
	}

	/** A message as the command line shows it: after "mn <command>: ", which option checks may have put there already. */
	private static String prefixed(String command, String message) {
		String prefix = "mn " + command + ": ";
		return message != null && message.startsWith(prefix) ? message : prefix + message;
	}

	/** mn --version; also starts the engine: the first call unpacks the PyTorch natives from their jar into the cache. */
	private static int version(PrintStream out) {
		EngineThreads.prepare();
		ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
		out.println("M&N for Fiji " + Version.describe() + "; PyTorch " + engine.getVersion() + " through DJL " + ai.djl.engine.Engine.getDjlVersion()
			+ ", " + (engine.getGpuCount() > 0 ? engine.getGpuCount() + " GPU(s)" : "CPU") + ", " + System.getProperty("ai.djl.pytorch.num_threads")
			+ " threads" + (CpuKernelGuard.effectiveCap() == null ? "" : ", oneDNN kernels capped at " + CpuKernelGuard.effectiveCap()));
		return 0;
	}

	/** More PyTorch threads than this per core only slow a run down (and many thousands hang the machine). */
	static final int MAX_THREADS_PER_CORE = 4;

	/**
	 * PyTorch reads its thread count once, when the engine starts: set it from --threads before anything touches the
	 * engine. Without --threads, an explicit -Dai.djl.pytorch.num_threads wins over the default of one thread per core.
	 */
	static void configureThreads(List<String> args) {
		int i = args.indexOf("--threads");
		String threads = i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
		if (threads != null) {
			int n;
			try {
				n = Integer.parseInt(threads.trim());
				if (n < 1) throw new NumberFormatException();
			} catch (NumberFormatException e) {
				throw new UserError("--threads expects a whole number of at least 1, got '" + threads + "'.");
			}
			// PyTorch starts every thread asked for: tens of thousands would starve the machine instead of helping
			int cores = Runtime.getRuntime().availableProcessors(), max = MAX_THREADS_PER_CORE * cores;
			if (n > max)
				throw new UserError("--threads " + n + " is more than " + MAX_THREADS_PER_CORE + " per core of this machine (" + cores + " cores): give at most "
					+ max + ", or leave it out to use one thread per core.");
			threads = Integer.toString(n);
			System.setProperty("ai.djl.pytorch.num_threads", threads);
		} else if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
			System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
		}
		if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
		if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
		EngineEnvironment.beforeEngineStart();
	}
}
