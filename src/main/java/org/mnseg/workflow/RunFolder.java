package org.mnseg.workflow;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.mnseg.train.Checkpoint;
import org.mnseg.train.StageOneReuse;
import org.mnseg.train.TrainingLog;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.UserError;

/**
 * A training run's folder, held by one run at a time. A run claims it with an operating-system lock on
 * {@link #LOCK_FILE}, which is released when the run ends or its process dies (even by {@code kill -9}), so a
 * second run into the same folder is refused while a killed run's folder can be resumed at once. Results of an
 * earlier run are replaced only when the user asks for it.
 */
public final class RunFolder implements AutoCloseable {
	/** Locked while a run trains in the folder; the file itself stays (deleting it would let two runs lock two different files). */
	public static final String LOCK_FILE = ".mn-run.lock";
	/** What a run writes when it ends; without a checkpoint beside them, nothing continues them. */
	static final List<String> RESULTS = List.of(TrainWorkflow.BUNDLE_FILE, "result.json", "metrics.json", TrainingLog.FILE_NAME);
	/** What a new run with --overwrite removes first, so that no earlier run's file is mistaken for the new run's. */
	private static final List<String> EARLIER_RUN = List.of(TrainWorkflow.BUNDLE_FILE, "result.json", "metrics.json", TrainingLog.FILE_NAME,
		TrainingLog.VALIDATION_FILE_NAME, Checkpoint.FILE_NAME, StageOneReuse.FILE_NAME);
	/** The prefix of {@link AtomicFiles}' temporary files: any left in a claimed folder are from a killed write. */
	private static final String PART_PREFIX = ".part";

	/**
	 * Folders held by runs of this process. Checked before the lock file is opened, because on POSIX systems closing
	 * any handle of a file drops every lock the process holds on it: a refused second claim must not open it.
	 */
	private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

	private final Path key;
	private final FileChannel channel;
	private final FileLock lock;

	private RunFolder(Path key, FileChannel channel, FileLock lock) {
		this.key = key;
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * Checks, without writing anything, that a run may start (or resume) in {@code runDir}: it is not a file, and a
	 * new run replaces an earlier run's checkpoint or results only with {@code overwrite}.
	 */
	public static void requireUsable(Path runDir, boolean resume, boolean overwrite) {
		if (Files.exists(runDir) && !Files.isDirectory(runDir))
			throw new UserError("The run folder " + runDir + " is a file. Give a folder for the run (--out); it is created when missing.");
		if (resume && overwrite)
			throw new UserError("--resume continues the run in " + runDir + " and --overwrite replaces it: give one or the other.");
		if (resume || overwrite) return;
		if (Files.exists(runDir.resolve(Checkpoint.FILE_NAME)))
			throw new UserError("The run folder " + runDir + " already holds a checkpoint. Add --resume to continue that run, --overwrite to train "
				+ "it again from the start, or choose another --out folder.");
		List<String> results = earlierResults(runDir);
		if (!results.isEmpty())
			throw new UserError("The run folder " + runDir + " holds the results of an earlier run (" + String.join(", ", results)
				+ ") and no checkpoint to resume. Add --overwrite to replace them, or choose another --out folder.");
	}

	/** The files of an earlier run's results that {@code runDir} holds (none: an empty list). */
	public static List<String> earlierResults(Path runDir) {
		return RESULTS.stream().filter(f -> Files.exists(runDir.resolve(f))).toList();
	}

	/**
	 * The losses the run's log holds, by model and then epoch (0-based), for a plot of the whole run after a resume;
	 * empty where there is no readable log.
	 */
	public static Map<String, TreeMap<Integer, Double>> losses(Path runDir) {
		return TrainingLog.readLosses(runDir);
	}

	/** The run's validation Dice by epoch (0-based); empty where it has none. */
	public static TreeMap<Integer, Double> validationDice(Path runDir) {
		return TrainingLog.readValidation(runDir);
	}

	/**
	 * Creates and locks {@code runDir} for this run, after {@link #requireUsable}. A new run with {@code overwrite}
	 * removes the earlier run's files; temporary files of writes that a killed run left behind are removed.
	 *
	 * @throws UserError when another run holds the folder
	 */
	public static RunFolder claim(Path runDir, boolean resume, boolean overwrite) {
		requireUsable(runDir, resume, overwrite);
		FileChannel channel = null;
		Path key = null;
		try {
			Files.createDirectories(runDir);
			Path held = runDir.toRealPath();
			if (!HELD.add(held)) throw inUse(runDir); // a second run in this process (e.g. two Fiji commands)
			key = held;
			channel = FileChannel.open(runDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock lock;
			try {
				lock = channel.tryLock();
			} catch (OverlappingFileLockException e) {
				lock = null;
			}
			if (lock == null) throw inUse(runDir);
			RunFolder claimed = new RunFolder(key, channel, lock);
			channel = null;
			key = null;
			try {
				if (overwrite && !resume) for (String f : EARLIER_RUN) Files.deleteIfExists(runDir.resolve(f));
				removeStaleParts(runDir);
			} catch (IOException | RuntimeException e) {
				claimed.close();
				throw e;
			}
			return claimed;
		} catch (IOException e) {
			throw new UserError("Cannot use the run folder " + runDir + ": " + AtomicFiles.describe(e) + ". Check that it is writable.", e);
		} finally {
			if (channel != null) closeQuietly(channel);
			if (key != null) HELD.remove(key);
		}
	}

	private static UserError inUse(Path runDir) {
		return new UserError("Another training run is using the run folder " + runDir + " now (it holds " + LOCK_FILE
			+ "). Wait for it to end, or choose another --out folder.");
	}

	/** Temporary files of atomic writes in a folder this run holds: no other writer can be at work there. */
	private static void removeStaleParts(Path runDir) throws IOException {
		try (Stream<Path> files = Files.list(runDir)) {
			for (Path f : files.filter(f -> f.getFileName().toString().startsWith(PART_PREFIX) && Files.isRegularFile(f)).toList())
				Files.deleteIfExists(f);
		}
	}

	/** Releases the folder for the next run. */
	@Override
	public void close() {
		try {
			lock.release();
		} catch (IOException e) {
			// closing the channel below releases it too
		}
		closeQuietly(channel);
		HELD.remove(key);
	}

	private static void closeQuietly(FileChannel c) {
		try {
			c.close();
		} catch (IOException e) {
			// nothing was written through it
		}
	}
}
