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

/**
 * The logs of a run folder: {@code log.csv} (per epoch and model: loss, learning rate, elapsed seconds, resident
 * memory) and {@code validation.csv} (validation Dice by epoch). Each is rewritten whole (atomically) when it grows; a
 * resumed run first drops the rows of epochs it will repeat.
 */
public final class TrainingLog {
	public static final String FILE_NAME = "log.csv";
	public static final String VALIDATION_FILE_NAME = "validation.csv";
	public static final String HEADER = "model,epoch,loss,lr,elapsed_s,rss_mb";
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
				if (f.length > 1 && Integer.parseInt(f[1]) < keepBelowEpoch) rows.add(line);
			}
		} catch (IOException | NumberFormatException e) {
			// an unreadable log is rebuilt from this point on; the checkpoint holds the training state
			rows.clear();
		}
	}

	public void add(RunListener.EpochReport r) {
		rows.add(String.format(Locale.ROOT, "%s,%d,%.6f,%.6g,%.1f,%.0f", r.model(), r.epoch(), r.loss(), r.lr(), r.elapsedSeconds(), r.rssMb()));
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
}
