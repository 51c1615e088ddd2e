package org.mnseg.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * scripts/bench-budget, run as a user runs it, in a copy of the scripts it needs: a budget that seed 101 of
 * scripts/bench-seeds already trained with the headline configuration is read from results/seeds/ instead of trained
 * again; any other budget goes through scripts/bench-accuracy (here a stand-in that records what it was asked and
 * writes a result where the real one does, since training takes an hour).
 */
public class BenchBudgetTest {
	private static final Path BASH = Paths.get("/bin/bash");
	private static final Path PYTHON = Paths.get("/usr/bin/python3");

	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	private static void copy(Path repo, String path) throws Exception {
		Path to = repo.resolve(path);
		Files.createDirectories(to.getParent());
		Files.copy(Paths.get(path), to);
	}

	private static void result(Path file, int epochs, double dice) throws Exception {
		Files.createDirectories(file.getParent());
		Files.writeString(file, String.format(Locale.ROOT, "{\"epochs\": %d, \"seed\": 101, \"train_seconds\": 600, "
			+ "\"peak_rss_mb\": 900, \"commit\": \"1a856a8abcdef\", \"mean\": {\"dice\": %.4f}}", epochs, dice));
		// per-case Dice of two cases, both off the mean by the same step, for the paired comparisons
		Files.writeString(Paths.get(file.toString().replace(".json", ".metrics.json")), String.format(Locale.ROOT,
			"{\"cases\": {\"a\": {\"1\": {\"dice\": %.4f}}, \"b\": {\"1\": {\"dice\": %.4f}}}}", dice - 0.01, dice + 0.01));
	}

	/** A copy of the scripts bench-budget needs, seed 101's 200-epoch rows, and a stand-in for bench-accuracy. */
	private Path repository() throws Exception {
		Path repo = tmp.newFolder("repo").toPath();
		for (String path : new String[] {"scripts/bench-budget", "scripts/seed-stats", "scripts/lib/headline.sh", "scripts/lib/headline-rows.tsv",
				"scripts/lib/train-run.sh"})
			copy(repo, path);
		Path seeds = repo.resolve("results/seeds/hippocampus");
		result(seeds.resolve("labeled-only-labeled8-seed101-cpu.json"), 200, 0.80);
		result(seeds.resolve("mn-imagenet-labeled8-seed101-cpu.json"), 200, 0.83);
		// the stand-in for bench-accuracy: logs its environment, writes the result file the real one would (no per-case file)
		Path accuracy = repo.resolve("scripts/bench-accuracy");
		Files.writeString(accuracy, "#!/bin/bash\necho \"$METHODS|$TAG|$EXTRA\" >> asked.txt\n"
			+ "source scripts/lib/train-run.sh\nresult=$(accuracy_result $DATASETS $METHODS$TAG $LABELED)\nmkdir -p $(dirname $result)\n"
			+ "echo '{\"epochs\": 400, \"seed\": 101, \"train_seconds\": 1200, \"peak_rss_mb\": 900, \"commit\": \"e846f97\", "
			+ "\"mean\": {\"dice\": 0.85}}' > $result\n");
		Files.setPosixFilePermissions(accuracy, PosixFilePermissions.fromString("rwxr-xr-x"));
		return repo;
	}

	private static String runBudget(Path repo, String rows) throws Exception {
		ProcessBuilder pb = new ProcessBuilder(BASH.toString(), "scripts/bench-budget").directory(repo.toFile()).redirectErrorStream(true);
		pb.environment().put("EPOCHS", "200 400");
		pb.environment().remove("MN_EXTRA");
		pb.environment().remove("TAG");
		if (rows != null) pb.environment().put("ROWS", rows);
		else pb.environment().remove("ROWS");
		Process p = pb.start();
		String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue("bench-budget timed out", p.waitFor(60, TimeUnit.SECONDS));
		assertEquals(printed, 0, p.exitValue());
		return printed;
	}

	@Test
	public void reusesTheSeedRowOfTheSameCommandAndTrainsOnlyTheOtherBudgets() throws Exception {
		assumeTrue("skipped: " + PYTHON + " not found (apt-get install python3)", Files.isExecutable(PYTHON));
		Path repo = repository();
		runBudget(repo, null);

		String asked = Files.readString(repo.resolve("asked.txt"));
		assertFalse("the 200-epoch rows were trained again:\n" + asked, asked.contains("--epochs 200"));
		assertTrue(asked, asked.contains("labeled-only|-e400|--epochs 400"));
		assertTrue(asked, asked.contains("mn|-imagenet-e400|--architecture2d mnv2-imagenet-unet --options2d {\"slice_zoom\":2} --epochs 400"));
		String md = Files.readString(repo.resolve("results/budget.md"));
		assertTrue(md, md.contains("| 200 | 80.00 | 83.00 | +3.00 |"));
		assertTrue(md, md.contains("`results/seeds/hippocampus/mn-imagenet-labeled8-seed101-cpu.json`"));
		assertTrue(md, md.contains("| 400 | 85.00 | 85.00 | +0.00 |"));
		assertTrue(md, md.contains("`results/hippocampus/mn-imagenet-e400-labeled8-cpu.json`"));
		// the 200-epoch rows have per-case files: their pair is compared (each case 3 points better); the 400-epoch ones not
		assertTrue(md, md.contains("| M&N at 200 epochs | labeled-only at 200 epochs | +3.00 |"));
		assertFalse(md, md.contains("at 400 epochs |"));
	}

	@Test
	public void trainsOnlyTheRowsAskedForAndShowsTheOthersAsNotRun() throws Exception {
		assumeTrue("skipped: " + PYTHON + " not found (apt-get install python3)", Files.isExecutable(PYTHON));
		Path repo = repository();
		runBudget(repo, "labeled-only");
		assertEquals("labeled-only|-e400|--epochs 400", Files.readString(repo.resolve("asked.txt")).trim());
		String md = Files.readString(repo.resolve("results/budget.md"));
		assertTrue(md, md.contains("| 400 | 85.00 | not run |  |"));

		runBudget(repo, ""); // nothing to train: the table only, from what is there
		assertEquals("labeled-only|-e400|--epochs 400", Files.readString(repo.resolve("asked.txt")).trim());
	}
}
