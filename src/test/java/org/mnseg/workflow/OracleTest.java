package org.mnseg.workflow;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.LabelVolume;
import org.mnseg.dataset.Case;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.FileTrees;
import org.mnseg.testutil.StepCounter;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.Method;
import org.mnseg.train.RunListener;
import org.mnseg.util.UserError;

import ai.djl.Device;

/**
 * The oracle diagnostic (fixed-pseudo's schedule with the unlabeled volumes' true labels): it trains the 3-D model
 * alone, learns from those labels after the warm-up and only then, resumes exactly, refuses data without them, and
 * stays out of the lists users choose from.
 */
public class OracleTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	/** Six labeled training volumes: with a labeled subset of 2, the other 4 are the oracle's "unlabeled" ones. */
	private static Path labeledThroughout;

	@BeforeClass
	public static void writeData() throws Exception {
		labeledThroughout = SyntheticDataset.write(tmp.newFolder("six").toPath(), 6, 0, 1, 21);
	}

	private static TrainWorkflow.Request request(Path dataset, Path run, Map<String, String> o, boolean resume) {
		return new TrainWorkflow.Request(dataset, 2, "oracle", "cpu", o, run, resume, false, Device.cpu());
	}

	private static ModelBundle train(Path dataset, String name) throws Exception {
		Path run = tmp.newFolder(name).toPath();
		TrainWorkflow.run(request(dataset, run, CoTrainingTest.tiny("oracle", 4), false), RunListener.NONE, () -> false);
		return ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE));
	}

	@Test
	public void trainsTheThreeDModelAloneFromTheUnlabeledVolumesTrueLabelsAfterTheWarmUp() throws Exception {
		Path run = tmp.newFolder("oracle").toPath();
		StepCounter counter = new StepCounter();
		TrainWorkflow.run(request(labeledThroughout, run, CoTrainingTest.tiny("oracle", 4), false), counter, () -> false);
		assertEquals("4 epochs x 2 steps of the 3-D model, no 2-D model", 8, counter.steps());
		ModelBundle truth = ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE));
		assertEquals("oracle", truth.info().method);
		assertEquals(List.of("3d"), List.copyOf(truth.models().keySet()));

		// the same data with the 4 unlabeled volumes' labels emptied: the warm-up is the same, the second stage is not
		Path emptied = tmp.newFolder("emptied").toPath();
		FileTrees.copy(labeledThroughout, emptied);
		for (Case c : DatasetSpec.open(emptied).unlabeled(2)) {
			Path label = emptied.resolve("labels").resolve(c.id() + ".nii.gz");
			LabelVolume l = VolumeIO.readLabels(label);
			VolumeIO.writeLabels(LabelVolume.wrap(new byte[l.data().length], l.shape(), l.geometry()), label);
		}
		Path emptiedRun = tmp.newFolder("oracle-emptied").toPath();
		TrainWorkflow.run(request(emptied, emptiedRun, CoTrainingTest.tiny("oracle", 4), false), RunListener.NONE, () -> false);
		List<String> a = Files.readAllLines(run.resolve("log.csv")), b = Files.readAllLines(emptiedRun.resolve("log.csv"));
		for (int row = 1; row <= 2; row++)
			assertEquals("warm-up epoch " + row + " sees no unlabeled volume", a.get(row).split(",")[2], b.get(row).split(",")[2]);
		ModelBundle nothing = ModelBundle.load(emptiedRun.resolve(TrainWorkflow.BUNDLE_FILE));
		String name = truth.models().get("3d").weights().asMap().keySet().iterator().next();
		assertFalse("stage 2 must learn from the unlabeled volumes' labels",
			Arrays.equals(truth.models().get("3d").weights().get(name).data(), nothing.models().get("3d").weights().get(name).data()));
	}

	@Test
	public void aRunStoppedInTheSecondStageResumesToTheUninterruptedResult() throws Exception {
		ModelBundle whole = train(labeledThroughout, "oracle-whole");
		Path parts = tmp.newFolder("oracle-parts").toPath();
		StepCounter counter = new StepCounter();
		try {
			// the warm-up is 2 epochs x 2 steps; stop inside the first epoch of the second stage
			TrainWorkflow.run(request(labeledThroughout, parts, CoTrainingTest.tiny("oracle", 4), false), counter, counter.cancelAfter(5));
			fail("expected cancellation");
		} catch (CancellationException e) {
			// the checkpoint of epoch 2 stays
		}
		TrainWorkflow.run(request(labeledThroughout, parts, Map.of(), true), RunListener.NONE, () -> false);
		ModelBundle resumed = ModelBundle.load(parts.resolve(TrainWorkflow.BUNDLE_FILE));
		whole.models().get("3d").weights().asMap().forEach((n, t) ->
			assertArrayEquals(n, t.data(), resumed.models().get("3d").weights().get(n).data(), 0f));
	}

	@Test
	public void dataWithTrulyUnlabeledVolumesIsRefusedInOneLine() throws Exception {
		Path partly = SyntheticDataset.write(tmp.newFolder("partly").toPath(), 2, 2, 1, 21);
		try {
			TrainWorkflow.run(request(partly, tmp.newFolder("refused").toPath(), CoTrainingTest.tiny("oracle", 4), false), RunListener.NONE,
				() -> false);
			fail("an unlabeled volume without a label was accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("has no label file") && e.getMessage().contains("--method mn"));
			assertFalse(e.getMessage(), e.getMessage().contains("\n"));
		}
	}

	@Test
	public void aWarmUpOfAnotherRunIsRefused() throws Exception {
		Map<String, String> o = CoTrainingTest.tiny("oracle", 4);
		o.put("stage-one-from", tmp.getRoot().toString());
		try {
			TrainWorkflow.run(request(labeledThroughout, tmp.newFolder("from").toPath(), o, false), RunListener.NONE, () -> false);
			fail("--stage-one-from was accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("the oracle trains no 2-D model"));
		}
	}

	@Test
	public void onlyTheCommandLineOffersIt() {
		assertEquals(Method.ORACLE, Method.parse("oracle"));
		assertFalse("dialogs list the methods of TrainOptions", TrainOptions.methods().contains("oracle"));
		assertEquals(List.of("oracle"), Method.diagnosticIds());
	}
}
