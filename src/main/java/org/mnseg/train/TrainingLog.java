package org.mnseg.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import org.mnseg.util.AtomicFiles;
import org.mnseg.util.MemoryUsage;

/**
 * The logs of a run folder: {@code log.csv} (per epoch and model: loss, learning rate, elapsed seconds, memory) and
 * {@code validation.csv} (validation Dice by epoch). Each is rewritten whole (atomically) when it grows; a resumed run
 * first drops the rows of epochs it will repeat.
 */
public final class TrainingLog {
	public static final String FILE_NAME = "log.csv";
	public static final String VALIDATION_FILE_NAME = "validation.csv";
	/**
	 * {@code rss_mb}: resident memory at the epoch's end; {@code peak_rss_mb}: its peak since the previous row (a refresh
	 * or a validation before the epoch included); {@code heap_mb}, {@code direct_mb}: the Java heap's committed part and
	 * the direct buffers' bytes at the end; the rest of {@code rss_mb} is mostly the engine's native memory.
	 */
	public static final String HEADER = "model,epoch,loss,lr,elapsed_s,rss_mb,peak_rss_mb,heap_mb,direct_mb";
	private static final int COLUMNS = HEADER.split(",").length;
	private final Path file;
	private final Path validationFile;
	private final List<String> rows = new ArrayList<>();
	private final TreeMap<Integer, Double> validationDice = new TreeMap<>();
	private boolean validationRead;

	public TrainingLog(Path runDir) {
		this.file = runDir.resolve(FILE_NAME);
		this.validationFile = runDir.resolve(VALIDATION_FILE_NAME);
	}

	/** Loads existing rows whose epoch is below {@code keepBelowEpoch} (resume). */
	public void resume(int keepBelowEpoch) {
		adopt(file, keepBelowEpoch);
	}

	/**
	 * Starts from the rows of {@code source} (this log or another run's) whose epoch is below {@code keepBelowEpoch}:
	 * a run continuing another run's warm-up shows the warm-up's losses too.
	 */
	public void adopt(Path source, int keepBelowEpoch) {
		rows.clear();
		if (!Files.exists(source)) return;
		try {
			for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
				if (line.isBlank() || line.startsWith("model,")) continue;
				String[] f = line.split(",");
				// rows of a log written before the memory columns get empty ones, so that every row has the header's columns
				if (f.length > 1 && Integer.parseInt(f[1]) < keepBelowEpoch) rows.add(line + ",".repeat(Math.max(0, COLUMNS - f.length)));
			}
		} catch (IOException | NumberFormatException e) {
			// an unreadable log is rebuilt from this point on; the checkpoint holds the training state
			rows.clear();
		}
	}

	public void add(RunListener.EpochReport r) {
		MemoryUsage.Reading m = r.memory();
		rows.add(String.format(Locale.ROOT, "%s,%d,%.6f,%.6g,%.1f,%.0f,%.0f,%.0f,%.0f", r.model(), r.epoch(), r.loss(), r.lr(), r.elapsedSeconds(),
			m.rssMb(), m.peakRssMb(), m.heapMb(), m.directMb()));
		AtomicFiles.writeString(file, HEADER + "\n" + String.join("\n", rows) + "\n");
	}

	/** Records the validation Dice after {@code epoch}, keeping earlier epochs' rows of a resumed run. */
	public void addValidation(int epoch, double dice) {
		if (!validationRead) {
			validationRead = true;
			try {
				if (Files.exists(validationFile)) for (String line : Files.readAllLines(validationFile, StandardCharsets.UTF_8)) {
					String[] f = line.split(",");
					if (f.length == 2 && !f[0].equals("epoch") && Integer.parseInt(f[0]) < epoch) validationDice.put(Integer.parseInt(f[0]), Double.parseDouble(f[1]));
				}
			} catch (IOException | NumberFormatException e) {
				// rebuilt from here on
			}
		}
		validationDice.put(epoch, dice);
		StringBuilder b = new StringBuilder("epoch,dice\n");
		validationDice.forEach((e, d) -> b.append(e).append(',').append(String.format(Locale.ROOT, "%.6f", d)).append('\n'));
		AtomicFiles.writeString(validationFile, b.toString());
	}

	public List<String> rows() {
		return List.copyOf(rows);
	}

	/**
	 * The losses a run folder's {@code log.csv} holds, by model and then epoch (0-based), for a plot of the whole run
	 * after a resume; empty where there is no readable log.
	 */
	public static java.util.Map<String, TreeMap<Integer, Double>> readLosses(Path runDir) {
		java.util.Map<String, TreeMap<Integer, Double>> out = new java.util.LinkedHashMap<>();
		for (String[] f : readRows(runDir.resolve(FILE_NAME), 3))
			out.computeIfAbsent(f[0], k -> new TreeMap<>()).put(Integer.parseInt(f[1]), Double.parseDouble(f[2]));
		return out;
	}

	/** The validation Dice of a run folder's {@code validation.csv} by epoch (0-based); empty where there is none. */
	public static TreeMap<Integer, Double> readValidation(Path runDir) {
		TreeMap<Integer, Double> out = new TreeMap<>();
		for (String[] f : readRows(runDir.resolve(VALIDATION_FILE_NAME), 2)) out.put(Integer.parseInt(f[0]), Double.parseDouble(f[1]));
		return out;
	}

	/** The data rows of a log written here: fields {@code fields - 2} and {@code fields - 1} are an epoch and a value. */
	private static List<String[]> readRows(Path file, int fields) {
		List<String[]> out = new ArrayList<>();
		if (!Files.exists(file)) return out;
		try {
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				String[] f = line.split(",");
				if (f.length < fields || line.startsWith("model,") || line.startsWith("epoch,")) continue;
				Integer.parseInt(f[fields - 2].trim());
				Double.parseDouble(f[fields - 1].trim());
				out.add(f);
			}
		} catch (IOException | NumberFormatException e) {
			// a damaged log gives no history: the plot then starts from the resumed epoch
			out.clear();
		}
		return out;
	}
}
