package org.mnseg.workflow;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.testutil.StepCounter;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.RunListener;
import org.mnseg.train.StageOneReuse;
import org.mnseg.util.UserError;

import ai.djl.Device;

/**
 * {@code --stage-one-gap}: M&N's warm-up ends once the 2-D model's validation Dice comes within the gap of the 3-D
 * model's; the early end moves stage 2's restart, survives a resume, and a control can continue that warm-up.
 */
public class StageOneGapTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path dataset;

	@BeforeClass
	public static void writeData() throws Exception {
		// 3 labeled cases: 2 train, the third is held out for validation
		dataset = SyntheticDataset.write(tmp.newFolder("data").toPath(), 3, 3, 0, 29);
	}

	/** 4 epochs with a warm-up of at most 3, validated after every second epoch (the warm-up is checked after epoch 2). */
	private static Map<String, String> options(String gap) {
		Map<String, String> o = CoTrainingTest.tiny("mn", 4);
		o.put("stage-one-epochs", "3");
		o.put("validation", "1");
		o.put("validate-every", "2");
		o.put("stage-one-gap", gap);
		return o;
	}

	private static TrainWorkflow.Request request(String method, Path run, Map<String, String> o, boolean resume) {
		return new TrainWorkflow.Request(dataset, 2, method, "cpu", o, run, resume, false, Device.cpu());
	}

	/** Steps counted, messages, whole-volume prediction phases and validations kept. */
	private static final class Recorder extends StepCounter {
		final List<String> messages = new ArrayList<>();
		final List<String> phases = new ArrayList<>();
		final Map<Integer, Double> validated = new LinkedHashMap<>();

		@Override
		public void message(String text) {
			messages.add(text);
		}

		@Override
		public void phase(String name, int done, int total) {
			if (done == 0) phases.add(name);
		}

		@Override
		public void validated(int epoch, double dice) {
			validated.put(epoch, dice);
		}
	}

	/** The model of each log row after the header, as "role,epoch". */
	private static List<String> order(Path run) throws Exception {
		List<String> rows = new ArrayList<>();
		List<String> lines = Files.readAllLines(run.resolve("log.csv"));
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",");
			if (f[0].equals("3d") || f[0].equals("2d")) rows.add(f[0] + "," + f[1]);
		}
		return rows;
	}

	@Test
	public void aWideGapEndsTheWarmUpAtTheFirstCheckAndAResumeKeepsThatEnd() throws Exception {
		Path whole = tmp.newFolder("gap-whole").toPath();
		Recorder r = new Recorder();
		TrainWorkflow.run(request("mn", whole, options("100"), false), r, () -> false);
		assertTrue(r.messages.toString(), r.messages.stream().anyMatch(m -> m.startsWith("Warm-up check after epoch 2: validation Dice 2-D")
			&& m.contains("co-training starts at epoch 3")));
		// the warm-up order (3-D, then 2-D) for epochs 0 and 1; co-training (2-D first) from epoch 2, not 3
		List<String> rows = order(whole);
		assertEquals(rows.toString(), List.of("3d,0", "2d,0", "3d,1", "2d,1", "2d,2", "3d,2"), rows.subList(0, 6));
		assertTrue("the stage-one file is written where the warm-up ended", Files.exists(whole.resolve(StageOneReuse.FILE_NAME)));
		// after epoch 2 the 3-D model is validated once: the run's validation reuses the check's Dice
		assertEquals(r.phases.toString(), List.of("Warm-up check after epoch 2, 3-D model", "Warm-up check after epoch 2, 2-D model",
			"Validation after epoch 4"), r.phases.stream().filter(p -> p.contains("after epoch")).toList());
		assertEquals(r.validated.toString(), List.of(1, 3), List.copyOf(r.validated.keySet()));
		String check = r.messages.stream().filter(m -> m.startsWith("Warm-up check")).findFirst().orElseThrow();
		assertTrue(check + " against " + r.validated, check.contains(String.format(java.util.Locale.ROOT, "3-D %.2f", 100 * r.validated.get(1))));

		// stopped in epoch 2 (4 steps per epoch), after the checkpoint that holds the early end; resumed: the same models
		Path parts = tmp.newFolder("gap-parts").toPath();
		StepCounter counter = new StepCounter();
		try {
			TrainWorkflow.run(request("mn", parts, options("100"), false), counter, counter.cancelAfter(9));
			fail("expected cancellation");
		} catch (CancellationException e) {
			// the checkpoint of epoch 2 stays
		}
		TrainWorkflow.run(request("mn", parts, Map.of(), true), RunListener.NONE, () -> false);
		ModelBundle a = ModelBundle.load(whole.resolve(TrainWorkflow.BUNDLE_FILE));
		ModelBundle b = ModelBundle.load(parts.resolve(TrainWorkflow.BUNDLE_FILE));
		for (String role : List.of("3d", "2d"))
			a.models().get(role).weights().asMap().forEach((name, t) ->
				assertArrayEquals(role + " " + name, t.data(), b.models().get(role).weights().get(name).data(), 0f));

		// the control continues that 2-epoch warm-up: only its 2 co-training epochs x 2 models x 2 steps run
		Map<String, String> control = new LinkedHashMap<>(options("100"));
		control.put("stage-one-from", whole.toString());
		StepCounter controlSteps = new StepCounter();
		TrainWorkflow.run(request("mn-control", tmp.newFolder("gap-control").toPath(), control, false), controlSteps, () -> false);
		assertEquals(8, controlSteps.steps());
	}

	@Test
	public void withoutAGapTheWarmUpKeepsItsLength() throws Exception {
		Path run = tmp.newFolder("no-gap").toPath();
		Recorder r = new Recorder();
		Map<String, String> fixed = options("-1");
		fixed.remove("validation"); // a fixed warm-up checks nothing
		TrainWorkflow.run(request("mn", run, fixed, false), r, () -> false);
		assertTrue(r.messages.toString(), r.messages.stream().noneMatch(m -> m.startsWith("Warm-up check")));
		assertEquals(List.of("3d,2", "2d,2", "2d,3", "3d,3"), order(run).subList(4, 8));
	}

	@Test
	public void aGapNeedsHeldOutVolumesAndMn() {
		Map<String, String> noValidation = options("1");
		noValidation.remove("validation");
		try {
			TrainWorkflow.run(request("mn", tmp.getRoot().toPath().resolve("never"), noValidation, false), RunListener.NONE, () -> false);
			fail("a gap without validation volumes was accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--validation"));
		}
		Map<String, String> rareChecks = options("1");
		rareChecks.put("validate-every", "3");
		try {
			TrainWorkflow.run(request("mn", tmp.getRoot().toPath().resolve("never3"), rareChecks, false), RunListener.NONE, () -> false);
			fail("a gap that is never checked was accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--validate-every below 3"));
		}
		try {
			TrainWorkflow.run(request("fixed-pseudo", tmp.getRoot().toPath().resolve("never2"), options("1"), false), RunListener.NONE, () -> false);
			fail("a gap for fixed-pseudo was accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--stage-one-gap"));
		}
	}
}
