package org.mnseg.bench;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ResultsTableTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	private void result(Path dir, String dataset, String file, int labeled, double dice) throws Exception {
		Path d = Files.createDirectories(dir.resolve(dataset));
		Files.writeString(d.resolve(file), String.format(Locale.ROOT,
			"{\"labeled\": %d, \"method\": \"x\", \"preset\": \"cpu\", \"epochs\": 120, \"train_seconds\": 600, \"peak_rss_mb\": 900,"
				+ " \"mean\": {\"dice\": %f, \"jaccard\": 0.8, \"hd95_vox\": 4, \"asd_vox\": 1, \"hd95_mm\": 5, \"asd_mm\": 1.2}}", labeled, dice));
	}

	@Test
	public void rowsShowTheGainOverLabeledOnlyAndThePapersNumber() throws Exception {
		Path dir = tmp.getRoot().toPath();
		result(dir, "la2x", "labeled-only-labeled8-cpu.json", 8, 0.887);
		result(dir, "la2x", "mn-labeled8-cpu.json", 8, 0.9012);
		result(dir, "hippocampus", "mn-labeled8-cpu.json", 8, 0.83);
		String table = ResultsTable.render(dir);
		assertTrue(table, table.contains("| la2x | 8 | mn | cpu | 120 | 90.12 | +1.42 | 91.56 |"));
		assertTrue(table, table.contains("| la2x | 8 | labeled-only | cpu | 120 | 88.70 |  | 88.26 |"));
		// no baseline and no paper number for hippocampus
		assertTrue(table, table.contains("| hippocampus | 8 | mn | cpu | 120 | 83.00 |  |  |"));
	}
}
