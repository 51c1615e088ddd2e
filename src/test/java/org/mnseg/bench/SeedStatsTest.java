package org.mnseg.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * scripts/seed-stats, the script behind results/seeds.md, run as a user runs it on results written the way
 * scripts/bench-seeds writes them: its statistics on differences whose answer is known by hand, and its list of the
 * headline rows still to run.
 */
public class SeedStatsTest {
	private static final Path PYTHON = Paths.get("/usr/bin/python3");

	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** One seeded row: result and per-case metrics, Dice of case i = dice[i]. */
	private static void row(Path folder, String dataset, String row, int labeled, int seed, double... dice) throws Exception {
		Path d = Files.createDirectories(folder.resolve(dataset));
		String name = row + "-labeled" + labeled + "-seed" + seed + "-cpu";
		Files.writeString(d.resolve(name + ".json"), String.format(Locale.ROOT, "{\"train_seconds\": 600, \"peak_rss_mb\": 900, "
			+ "\"code_version\": \"0.1.0 (1a856a8abcdef)\", \"config\": {}, \"mean\": {\"dice\": %.6f}}", mean(dice)));
		Files.writeString(d.resolve(name + ".metrics.json"), "{\"cases\": {" + cases(dice) + "}}");
	}

	private static double mean(double... dice) {
		return java.util.Arrays.stream(dice).average().orElseThrow();
	}

	/** The per-case entries of a metrics file: case i has Dice dice[i] for class 1. */
	private static String cases(double... dice) {
		StringBuilder cases = new StringBuilder();
		for (int i = 0; i < dice.length; i++)
			cases.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "\"case%d\": {\"1\": {\"dice\": %.6f}}", i, dice[i]));
		return cases.toString();
	}

	/** Runs scripts/paired-runs; returns its exit code and output. */
	private static Map.Entry<Integer, String> pairedRuns(String... args) throws Exception {
		List<String> cmd = new java.util.ArrayList<>(List.of(PYTHON.toString(), "scripts/paired-runs"));
		cmd.addAll(List.of(args));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue("paired-runs timed out", p.waitFor(120, TimeUnit.SECONDS));
		return Map.entry(p.exitValue(), printed);
	}

	/** The accuracy grid's labeled-only row with {@code labeled} volumes, beside the seeds folder, made by {@code commit}. */
	private static void gridRow(Path seeds, String dataset, int labeled, double dice, String commit) throws Exception {
		Path d = Files.createDirectories(seeds.getParent().resolve(dataset));
		Files.writeString(d.resolve("labeled-only-labeled" + labeled + "-cpu.json"), String.format(Locale.ROOT,
			"{\"seed\": 101, \"code_version\": \"0.1.0 (%s)\", \"mean\": {\"dice\": %.6f}}", commit, dice));
	}

	private String run(Path folder) throws Exception {
		assumeTrue("skipped: " + PYTHON + " not found (apt-get install python3)", Files.isExecutable(PYTHON));
		Path out = tmp.getRoot().toPath().resolve("seeds.md");
		Process p = new ProcessBuilder(PYTHON.toString(), "scripts/seed-stats", folder.toString(), "--out", out.toString())
			.redirectErrorStream(true).start();
		String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue("seed-stats timed out", p.waitFor(120, TimeUnit.SECONDS));
		assertEquals(printed, 0, p.exitValue());
		return Files.readString(out);
	}

	@Test
	public void pairedDifferencesGiveTheExactWilcoxonPAndAnIntervalAroundTheMean() throws Exception {
		Path folder = tmp.newFolder("seeds").toPath();
		// M&N better on each of 5 cases by 1..5 points: W+ = 15, the largest of 2^5 equally likely sums, so p = 2/32
		row(folder, "la2x", "labeled-only", 4, 101, 0.80, 0.80, 0.80, 0.80, 0.80);
		row(folder, "la2x", "mn-imagenet1x", 4, 101, 0.81, 0.82, 0.83, 0.84, 0.85);
		String md = run(folder);
		assertTrue(md, md.contains("| la2x | 4 | mn-imagenet1x - labeled-only | 1 | 5 | +3.00 | [+"));
		assertTrue(md, md.contains("| 0.0625 | +3.00 | 5 / 0 |"));
	}

	/** The oracle (true labels as pseudo-labels) against labeled-only, and M&N against it: what better pseudo-labels could add. */
	@Test
	public void anOracleRowIsComparedWithLabeledOnlyAndEachMnRowWithIt() throws Exception {
		Path folder = tmp.newFolder("seeds").toPath();
		row(folder, "hippocampus", "labeled-only", 8, 101, 0.80, 0.80);
		row(folder, "hippocampus", "mn-imagenet", 8, 101, 0.81, 0.82);
		row(folder, "hippocampus", "oracle", 8, 101, 0.84, 0.86);
		String md = run(folder);
		assertTrue(md, md.contains("| hippocampus | 8 | oracle - labeled-only | 1 | 2 | +5.00 | [+4.00, +6.00] |"));
		assertTrue(md, md.contains("| hippocampus | 8 | mn-imagenet - oracle | 1 | 2 | -3.50 | [-4.00, -3.00] |"));
		assertTrue("the oracle is no M&N row of the targets table: " + md, !md.contains("(oracle) |"));
	}

	/** scripts/paired-runs with a setting's training seeds comma-separated on each side: pooled over seeds and cases. */
	@Test
	public void pairedRunsPoolsSeedsGivenSideBySide() throws Exception {
		assumeTrue("skipped: " + PYTHON + " not found (apt-get install python3)", Files.isExecutable(PYTHON));
		Path folder = tmp.newFolder("runs").toPath();
		// seed 101: better by 1..5 points; seed 102: by 3 on every case. Pooled +3.00; the cases' seed means 2, 2.5, 3, 3.5
		// and 4 are all above zero, so the Wilcoxon p over 5 cases is 2/32
		row(folder, "hippocampus", "a", 8, 101, 0.81, 0.82, 0.83, 0.84, 0.85);
		row(folder, "hippocampus", "b", 8, 101, 0.80, 0.80, 0.80, 0.80, 0.80);
		row(folder, "hippocampus", "a", 8, 102, 0.73, 0.73, 0.73, 0.73, 0.73);
		row(folder, "hippocampus", "b", 8, 102, 0.70, 0.70, 0.70, 0.70, 0.70);
		Path d = folder.resolve("hippocampus");
		String a = d.resolve("a-labeled8-seed101-cpu.json") + "," + d.resolve("a-labeled8-seed102-cpu.json");
		String b = d.resolve("b-labeled8-seed101-cpu.json") + "," + d.resolve("b-labeled8-seed102-cpu.json");
		Map.Entry<Integer, String> r = pairedRuns(a, b);
		assertEquals(r.getValue(), 0, (int) r.getKey());
		assertTrue(r.getValue(), r.getValue().contains("| 78.00 | 75.00 | +3.00 | [+"));
		assertTrue(r.getValue(), r.getValue().contains("| 0.062 | 5 / 0 |"));
		// validate-bundle's runs/validation/NAME/metrics.json, given as it is, is named after its folder
		double[] va = { 0.81, 0.82, 0.83, 0.84, 0.85 }, vb = { 0.80, 0.80, 0.80, 0.80, 0.80 };
		for (Map.Entry<String, double[]> v : Map.of("va", va, "vb", vb).entrySet())
			Files.writeString(Files.createDirectories(folder.resolve(v.getKey())).resolve("metrics.json"),
				String.format(Locale.ROOT, "{\"mean\": {\"dice\": %.6f}, \"cases\": {%s}}", mean(v.getValue()), cases(v.getValue())));
		r = pairedRuns(folder.resolve("va/metrics.json").toString(), folder.resolve("vb/metrics.json").toString());
		assertEquals(r.getValue(), 0, (int) r.getKey());
		assertTrue(r.getValue(), r.getValue().contains("| va | vb | 83.00 | 80.00 | +3.00 | [+"));
		// one seed on one side only: refused, not paired with the wrong run
		r = pairedRuns(a, d.resolve("b-labeled8-seed101-cpu.json").toString());
		assertTrue(r.getValue(), r.getKey() != 0 && r.getValue().contains("name different numbers of seeds"));
	}

	@Test
	public void whereADifferenceFallsRanksCasesOnOneSeedAndTakesTheDifferenceFromTheOthers() throws Exception {
		Path folder = tmp.newFolder("seeds").toPath();
		// each seed's M&N gains 4 points on the case that seed's labeled-only segments worst: ranked on the same seed,
		// every gain would sit in the hardest quarter; ranked on the other seed, none does
		row(folder, "la2x", "labeled-only", 4, 101, 0.70, 0.80, 0.85, 0.90);
		row(folder, "la2x", "labeled-only", 4, 102, 0.90, 0.85, 0.80, 0.70);
		row(folder, "la2x", "mn-imagenet1x", 4, 101, 0.74, 0.80, 0.85, 0.90);
		row(folder, "la2x", "mn-imagenet1x", 4, 102, 0.90, 0.85, 0.80, 0.74);
		String md = run(folder);
		assertTrue(md, md.contains("| la2x | 4 | mn-imagenet1x - labeled-only | 1 | +0.00 | +1.33 |"));
	}

	@Test
	public void eachTargetIsSetAgainstTheRoomThatFullSupervisionLeaves() throws Exception {
		Path folder = tmp.newFolder("results", "seeds").toPath();
		for (int seed = 101; seed <= 102; seed++) {
			row(folder, "la2x", "labeled-only", 4, seed, 0.80, 0.80);
			row(folder, "la2x", "mn-imagenet1x", 4, seed, 0.82, 0.82);
		}
		gridRow(folder, "la2x", 8, 0.85, "1a856a8abcdef"); // fewer than every volume: not the one to compare with
		gridRow(folder, "la2x", 80, 0.90, "1a856a8abcdef");
		String md = run(folder);
		// room 90 - 80 = 10 points: the +5 target is half of it, the +2 gain a fifth; no oracle ran
		assertTrue(md, md.contains("| la2x | 4 | +5 | 80.00 (2 seeds) | 90.00 (80, seed 101, 1a856a8) | 10.00 | 50% | +2.00 (mn-imagenet1x) | 20% | - | - |"));
		// an oracle 6 points above labeled-only on seed 101: 60% of the room
		row(folder, "la2x", "oracle", 4, 101, 0.86, 0.86);
		String withOracle = run(folder);
		assertTrue(withOracle, withOracle.contains("| 10.00 | 50% | +2.00 (mn-imagenet1x) | 20% | +6.00 (seed 101) | 60% |"));
	}

	@Test
	public void aFullySupervisedRowFromBeforeTheGradientFixIsMarked() throws Exception {
		Process known = new ProcessBuilder("git", "cat-file", "-e", "c13e455^{commit}").redirectErrorStream(true).start();
		assumeTrue("skipped: this checkout's git history lacks c13e455 (a shallow clone)", known.waitFor() == 0);
		Path folder = tmp.newFolder("results", "seeds").toPath();
		row(folder, "hippocampus", "labeled-only", 8, 101, 0.84);
		gridRow(folder, "hippocampus", 160, 0.88, "c13e455");
		String md = run(folder);
		assertTrue(md, md.contains("| 88.00 (160, seed 101, c13e455; predates the gradient fix) | 4.00 | 75% | - | - | - | - |"));
		assertTrue(md, md.contains("Predates the gradient fix (30f90c5)"));
	}

	@Test
	public void theHeadlineRowsStandAgainstTheTargetsInOneTable() throws Exception {
		Path folder = tmp.newFolder("seeds").toPath();
		row(folder, "la2x", "labeled-only", 4, 101, 0.80, 0.80);
		row(folder, "la2x", "labeled-only", 4, 102, 0.80, 0.80);
		row(folder, "la2x", "mn-imagenet1x", 4, 101, 0.82, 0.84);
		row(folder, "la2x", "mn-imagenet1x", 4, 102, 0.84, 0.86);
		row(folder, "la2x", "mn-control-imagenet1x", 4, 101, 0.80, 0.81);
		row(folder, "la2x", "labeled-only", 8, 101, 0.80, 0.80);
		row(folder, "la2x", "mn-imagenet1x", 8, 101, 0.85, 0.85);
		String md = run(folder);
		// LA-4: seeds 83 and 85 (mean 84, sd 1.41) against 80: +4 of the +5 target; co-training on seed 101 only, +2 and +3
		assertTrue(md, md.contains("| la2x | 4 | 80.00 ± 0.00 (2) | 80.50 (1) | 84.00 ± 1.41 (2) (mn-imagenet1x) | +4.00 ["));
		assertTrue(md, md.contains("| +5 | 1.00 | +2.50 [+2.00, +3.00], p 0.5 |"));
		// LA-8: +5 against +3.3, met; no control run
		assertTrue(md, md.contains("| la2x | 8 | 80.00 (1) | not run | 85.00 (1) (mn-imagenet1x) | +5.00 [+5.00, +5.00], p "));
		assertTrue(md, md.contains("| +3.3 | met | - |"));
		assertTrue(md, md.indexOf("<!-- targets:start -->") < md.indexOf("| data set | labeled | row |"));
	}

	@Test
	public void headlineRowsStillToRunAreListedWithTheCommandThatRunsThem() throws Exception {
		Path folder = tmp.newFolder("seeds").toPath();
		for (int seed = 101; seed <= 103; seed++) {
			row(folder, "la2x", "labeled-only", 4, seed, 0.80, 0.81);
			row(folder, "la2x", "mn-imagenet1x", 4, seed, 0.82, 0.83);
		}
		row(folder, "la2x", "mn-control-imagenet1x", 4, 102, 0.80, 0.80);
		String md = run(folder);
		assertTrue(md, md.contains("| la2x | 4 | M&N | mn-imagenet1x | 101, 102, 103 | - |"));
		assertTrue(md, md.contains("| la2x | 4 | control | mn-control-imagenet1x | 102 | 101, 103 |"));
		assertTrue(md, md.contains("DATASET=la2x LABELED=4 SEEDS=101 ROWS=\"mn-control\" scripts/bench-seeds"));
		assertTrue(md, !md.contains("DATASET=la2x LABELED=4 SEEDS=102"));
		// a headline data set with no rows at all: every row, M&N first, since the control continues its warm-up
		assertTrue(md, md.contains("| hippocampus | 8 | labeled-only | labeled-only | - | 101, 102, 103 |"));
		assertTrue(md, md.contains("DATASET=hippocampus LABELED=8 SEEDS=103 ROWS=\"mn mn-control labeled-only\" scripts/bench-seeds"));
	}
}
