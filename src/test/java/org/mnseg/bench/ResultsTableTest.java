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

	@Test
	public void otherBenchmarksJsonWithAMeanIsNotARow() throws Exception {
		Path dir = tmp.getRoot().toPath();
		result(dir, "la2x", "labeled-only-labeled8-cpu.json", 8, 0.887);
		// bench-annotate-next writes such a file beside the grid's folders; it once stopped the table with an exception
		Files.writeString(dir.resolve("annotate-next-hippocampus-bundle.json"), "{\"method\": \"mn\", \"mean\": {\"dice\": 0.5}}");
		result(dir, "la2x", "notes.json", 8, 0.5);
		String table = ResultsTable.render(dir);
		assertTrue(table, table.contains("| la2x | 8 | labeled-only | cpu | 120 | 88.70 |"));
		assertTrue(table, !table.contains("| 50.00 |"));
	}

	@Test
	public void rowsNameTheirCommitAndSeededRunsAppearOnlyAsTheirSummary() throws Exception {
		Path dir = tmp.getRoot().toPath();
		Path la = Files.createDirectories(dir.resolve("la2x"));
		Files.writeString(la.resolve("mn-labeled8-cpu.json"), "{\"labeled\": 8, \"method\": \"mn\", \"preset\": \"cpu\", \"epochs\": 120, "
			+ "\"train_seconds\": 60, \"peak_rss_mb\": 900, \"code_version\": \"0.1.0 (348a0f8808b84b1c)\", \"mean\": {\"dice\": 0.9, \"jaccard\": 0.8, "
			+ "\"hd95_vox\": 4, \"asd_vox\": 1, \"hd95_mm\": 5, \"asd_mm\": 1.2}}");
		// a seeded run's own JSON is not a grid row; seeds.json summarises it
		result(dir.resolve("seeds"), "la2x", "mn-labeled8-seed101-cpu.json", 8, 0.5);
		Files.writeString(dir.resolve("seeds.json"), "{\"rows\": [{\"dataset\": \"la2x\", \"labeled\": 8, \"row\": \"mn\", \"seeds\": [101, 102], "
			+ "\"dice\": [90.0, 92.0], \"commits\": [\"5389ed4\"]}], \"comparisons\": [{\"dataset\": \"la2x\", \"labeled\": 8, \"a\": \"mn\", "
			+ "\"b\": \"labeled-only\", \"seeds\": [101, 102], \"cases\": 20, \"mean_diff\": 1.5, \"ci95\": [0.25, 2.75], \"wilcoxon_p\": 0.0123}]}");
		String table = ResultsTable.render(dir);
		assertTrue(table, table.contains("| la2x | 8 | mn | cpu | 120 | 90.00 |"));
		assertTrue(table, table.contains("| 1.0 min | 900 | 348a0f8 |"));
		assertTrue(table, !table.contains("| 50.00 |"));
		assertTrue(table, table.contains("| la2x | 8 | mn | 2 | 91.00 | 1.41 | 90.00, 92.00 | 5389ed4 |"));
		assertTrue(table, table.contains("| la2x | 8 | mn - labeled-only | 2 | 20 | +1.50 | [+0.25, +2.75] | 0.0123 |"));
	}
}
