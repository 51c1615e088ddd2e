package org.mnseg.workflow;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.RunListener;

import ai.djl.Device;

/**
 * Issue 15, honest progress: every long phase of a run (reading the volumes, each foreground refresh, the test
 * evaluation) reports its progress through {@link RunListener#phase} instead of a message per volume, the time left
 * is known from the first epoch on, and the test evaluation is optional.
 */
public class RunProgressTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path dataset;

	@BeforeClass
	public static void writeData() throws Exception {
		dataset = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 4, 2, 33);
	}

	/** What a run reported. */
	private static final class Recording implements RunListener {
		final List<String> phases = new ArrayList<>();
		final List<String> messages = new ArrayList<>();
		final List<EpochReport> epochs = new ArrayList<>();

		@Override
		public void phase(String name, int done, int total) {
			phases.add(name + " " + done + "/" + total);
		}

		@Override
		public void message(String text) {
			messages.add(text);
		}

		@Override
		public void epochFinished(EpochReport r) {
			epochs.add(r);
		}

		/** The reports of the phases whose name starts with {@code prefix}, as "done/total". */
		List<String> of(String prefix) {
			return phases.stream().filter(p -> p.startsWith(prefix)).map(p -> p.substring(p.lastIndexOf(' ') + 1)).toList();
		}
	}

	private static List<String> counts(int total) {
		List<String> c = new ArrayList<>();
		for (int i = 0; i <= total; i++) c.add(i + "/" + total);
		return c;
	}

	@Test
	public void everyLongPhaseReportsItsProgress() throws Exception {
		Path run = tmp.newFolder("mn").toPath();
		Recording r = new Recording();
		// 2 warm-up epochs, then refreshes before epochs 3 (the start of stage 2) and 4 (0.75 of 4 epochs)
		Map<String, String> o = CoTrainingTest.tiny("mn", 4);
		TrainWorkflow.Result result = TrainWorkflow.run(new TrainWorkflow.Request(dataset, 2, "mn", "cpu", o, run, false, true, Device.cpu()), r,
			() -> false);

		DatasetSpec spec = DatasetSpec.open(dataset);
		int unlabeled = spec.unlabeled(2).size();
		assertTrue("the synthetic data set has unlabeled volumes", unlabeled >= 4);
		assertEquals(counts(2 + unlabeled), r.of("Reading volumes"));
		List<String> refreshes = r.phases.stream().filter(p -> p.startsWith("Foreground refresh") && p.endsWith(" 0/" + unlabeled)).toList();
		assertEquals(refreshes.toString(), 2, refreshes.size());
		assertTrue(refreshes.get(0), refreshes.get(0).contains("before epoch 3"));
		assertTrue(refreshes.get(1), refreshes.get(1).contains("before epoch 4"));
		List<String> expectedRefresh = new ArrayList<>(counts(unlabeled));
		expectedRefresh.addAll(counts(unlabeled));
		assertEquals(expectedRefresh, r.of("Foreground refresh"));
		assertEquals(counts(2), r.of(TestEvaluation.PHASE));
		// quiet: no line per volume
		assertTrue(r.messages.toString(), r.messages.stream().noneMatch(m -> m.startsWith("Reading") || m.startsWith("Evaluating")));
		// a speed for the predictions ahead is measured before the first epoch, so every estimate is a number
		assertEquals(8, r.epochs.size());
		for (RunListener.EpochReport e : r.epochs) assertTrue(e.toString(), Double.isFinite(e.secondsLeft()) && e.secondsLeft() >= 0);
		assertTrue(Files.exists(run.resolve("metrics.json")));
		assertTrue(Double.isFinite(result.testDice()));
		assertTrue(result.ending(), result.ending().contains("test Dice") && result.ending().contains(result.bundle().toString()));
	}

	@Test
	public void theTestEvaluationIsOptional() throws Exception {
		Path run = tmp.newFolder("no-eval").toPath();
		Recording r = new Recording();
		TrainWorkflow.Result result = TrainWorkflow.run(
			new TrainWorkflow.Request(dataset, 2, "labeled-only", "cpu", CoTrainingTest.tiny("labeled-only", 2), run, false, false, Device.cpu()), r,
			() -> false);
		assertFalse(Files.exists(run.resolve("metrics.json")));
		assertNull(result.metrics());
		assertTrue(Files.exists(run.resolve("result.json")));
		assertTrue(r.of(TestEvaluation.PHASE).isEmpty());
		assertFalse(result.ending(), result.ending().contains("test Dice"));
	}
}
