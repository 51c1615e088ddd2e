package org.mnseg.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mnseg.util.AtomicFiles;

/**
 * The per-epoch CSV log ({@code log.csv}): model, epoch, loss, learning rate, elapsed seconds and resident memory.
 * Rewritten whole (atomically) after every epoch; a resumed run first drops the rows of epochs it will repeat.
 */
public final class TrainingLog {
	public static final String FILE_NAME = "log.csv";
	public static final String HEADER = "model,epoch,loss,lr,elapsed_s,rss_mb";
	private final Path file;
	private final List<String> rows = new ArrayList<>();

	public TrainingLog(Path file) {
		this.file = file;
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

	public void add(TrainingListener.EpochReport r) {
		rows.add(String.format(Locale.ROOT, "%s,%d,%.6f,%.6g,%.1f,%.0f", r.model(), r.epoch(), r.loss(), r.lr(), r.elapsedSeconds(), r.rssMb()));
		AtomicFiles.writeString(file, HEADER + "\n" + String.join("\n", rows) + "\n");
	}

	public List<String> rows() {
		return List.copyOf(rows);
	}
}
