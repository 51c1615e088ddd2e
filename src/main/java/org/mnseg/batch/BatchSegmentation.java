package org.mnseg.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.mnseg.io.VolumeIO;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.DiskFullError;
import org.mnseg.util.UserError;
import org.mnseg.workflow.SegmentWorkflow;
import org.mnseg.inference.Segmenter;

/**
 * Segments a part of a cohort so that it can be killed and started again at any time, by a SLURM array task or a Spark
 * partition alike.
 * <ul>
 * <li>Outputs are written atomically (temporary file, then rename), the label image last, so an existing label image
 * means the volume is done: a re-run skips it and segments only what is missing.</li>
 * <li>A volume that cannot be segmented (unreadable file, wrong channel count) does not stop the others: the reason goes
 * to {@code <output>/.mn-failed/<name>.txt}, which a later successful run removes, and which {@link #report} lists.</li>
 * </ul>
 */
public final class BatchSegmentation {
	/** Where failure notes go, inside the output folder. */
	public static final String FAILED_FOLDER = ".mn-failed";

	private BatchSegmentation() {}

	/** What one run did. */
	public record Result(List<Path> segmented, List<Path> skipped, Map<Path, String> failed) {}

	/** Per-volume progress for a log line. */
	public interface Listener {
		void volume(Path input, String outcome);

		Listener NONE = (input, outcome) -> {};
	}

	/**
	 * Refuses an output folder that also holds inputs: outputs there would become inputs of the next listing and
	 * shift every part of the plan.
	 */
	public static void requireOutputApart(List<Path> inputs, Path outputDir) {
		Path out = outputDir.toAbsolutePath().normalize();
		for (Path f : inputs)
			if (out.equals(f.toAbsolutePath().normalize().getParent()))
				throw new UserError("The output folder " + outputDir + " also holds the input " + f.getFileName()
					+ ". Write the segmentations to a folder of their own.");
	}

	/** Whether every output of {@code input} exists (atomic writes: existing means complete). */
	public static boolean isDone(Path input, Path outputDir, boolean probabilities) {
		for (Path p : SegmentWorkflow.outputsFor(input, outputDir, probabilities))
			if (!Files.isRegularFile(p)) return false;
		return true;
	}

	/** The inputs whose outputs are not all there yet, in order. */
	public static List<Path> pending(List<Path> inputs, Path outputDir, boolean probabilities) {
		List<Path> todo = new ArrayList<>();
		for (Path f : inputs)
			if (!isDone(f, outputDir, probabilities)) todo.add(f);
		return todo;
	}

	/**
	 * Segments each of {@code inputs} not done yet with {@code segmenter}; a failing volume is recorded and the run goes
	 * on. Cancellation (and errors that are no fault of one volume, such as running out of memory) end the run.
	 */
	public static Result run(Segmenter segmenter, List<Path> inputs, Path outputDir, boolean probabilities, Listener listener,
		BooleanSupplier cancelled) {
		return run(segmenter, inputs, outputDir, probabilities, null, listener, cancelled);
	}

	/** {@link #run}, with NaN and infinite voxels of the inputs replaced by {@code replaceNonFinite} (null: such a volume fails). */
	public static Result run(Segmenter segmenter, List<Path> inputs, Path outputDir, boolean probabilities, Float replaceNonFinite, Listener listener,
		BooleanSupplier cancelled) {
		List<Path> segmented = new ArrayList<>(), skipped = new ArrayList<>();
		Map<Path, String> failed = new LinkedHashMap<>();
		for (Path f : inputs) {
			if (cancelled != null && cancelled.getAsBoolean()) throw new CancellationException("Segmentation cancelled");
			if (isDone(f, outputDir, probabilities)) {
				skipped.add(f);
				listener.volume(f, "done before, skipped");
				continue;
			}
			try {
				SegmentWorkflow.segmentOne(segmenter, f, outputDir, probabilities, replaceNonFinite, cancelled);
				deleteQuietly(failureNote(f, outputDir));
				segmented.add(f);
				listener.volume(f, "segmented");
			}
			catch (CancellationException | DiskFullError e) {
				// a full disk is no fault of this volume: every next one would fail the same way, and so would its note
				throw e;
			}
			catch (UserError | ai.djl.engine.EngineException e) {
				String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
				failed.put(f, reason);
				AtomicFiles.writeString(failureNote(f, outputDir), f + "\n" + reason + "\n");
				listener.volume(f, "FAILED: " + reason);
			}
		}
		return new Result(segmented, skipped, failed);
	}

	/** The state of a whole cohort's outputs. */
	public record Report(int total, List<Path> done, List<Path> missing, Map<Path, String> failed) {
		/** Whether every volume has its outputs. */
		public boolean complete() {
			return missing.isEmpty();
		}

		/** Lines for a log: a summary, then one line per missing volume (with the reason where one failed). */
		public List<String> lines() {
			List<String> out = new ArrayList<>();
			out.add(total + " volume(s): " + done.size() + " done, " + missing.size() + " missing (" + failed.size() + " of them failed)");
			for (Path f : missing) out.add((failed.containsKey(f) ? "failed:  " : "missing: ") + f + (failed.containsKey(f) ? ": " + failed.get(f) : ""));
			return out;
		}
	}

	/** Which inputs have complete outputs, which do not, and why those that failed did. */
	public static Report report(List<Path> inputs, Path outputDir, boolean probabilities) {
		List<Path> done = new ArrayList<>(), missing = new ArrayList<>();
		Map<Path, String> failed = new LinkedHashMap<>();
		for (Path f : inputs) {
			if (isDone(f, outputDir, probabilities)) {
				done.add(f);
				continue;
			}
			missing.add(f);
			Path note = failureNote(f, outputDir);
			if (Files.isRegularFile(note)) {
				String[] lines = AtomicFiles.readString(note).split("\n", 2);
				failed.put(f, lines.length > 1 ? lines[1].strip() : "");
			}
		}
		return new Report(inputs.size(), done, missing, failed);
	}

	/** The failure note of an input: {@code <output>/.mn-failed/<name>.txt}. */
	public static Path failureNote(Path input, Path outputDir) {
		return outputDir.resolve(FAILED_FOLDER).resolve(VolumeIO.baseName(input) + ".txt");
	}

	private static void deleteQuietly(Path p) {
		try {
			Files.deleteIfExists(p);
		}
		catch (IOException e) {
			// a stale note only makes the report mention an old failure of a volume that is now done: report() checks outputs first
		}
	}
}
