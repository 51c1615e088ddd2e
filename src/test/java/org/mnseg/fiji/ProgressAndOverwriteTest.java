package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.workflow.TrainWorkflow;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleService;

import ij.gui.Plot;

/**
 * Issue 15 in Fiji: the loss plot holds the whole run across Resume, the end names the model and its Dice, the
 * Overwrite box lets a new run replace an earlier one, and the test evaluation can be skipped.
 */
public class ProgressAndOverwriteTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void thePlotKeepsTheWholeRunAcrossResume() throws Exception {
		Path run = tmp.newFolder().toPath().resolve("run");
		String options = TinyModel.OPTIONS + " validation=1 validate-every=1";
		CoTrainSettings start = new CoTrainSettings(CoTrainSettings.FOLDER, "", "", TinyModel.dataset(), "", null, "labeled-only", "unet3d",
			"deeplabv3plus-mnv2-ade20k", "whole", "cpu", 4, "3", run, false, options, null);
		AtomicInteger epochs = new AtomicInteger();
		TrainingProgress first = new TrainingProgress() {
			@Override
			public void epochFinished(EpochReport r) {
				super.epochFinished(r);
				epochs.incrementAndGet();
			}
		};
		try {
			CoTrainRunner.run(start, null, first, () -> epochs.get() >= 2);
			fail("cancel must stop the run");
		} catch (CancellationException expected) {
			// after epoch 2 of 4
		}
		assertEquals(List.of(1, 2), List.copyOf(first.plottedEpochs("3d")));

		// Resume is a new start with a new progress, as from the dialog: the plot begins with the stopped run's epochs
		TrainingProgress second = new TrainingProgress();
		CoTrainSettings resume = new CoTrainSettings(CoTrainSettings.FOLDER, "", "", null, "", null, "labeled-only", "unet3d", "deeplabv3plus-mnv2-ade20k",
			"whole", "cpu", 0, "all", run, true, "", null);
		TrainWorkflow.Result result = CoTrainRunner.run(resume, null, second, () -> false);
		assertEquals(List.of(1, 2, 3, 4), List.copyOf(second.plottedEpochs("3d")));
		assertEquals(List.of(1, 2, 3, 4), List.copyOf(second.plottedEpochs("validation Dice")));
		assertTrue(Files.size(run.resolve(CoTrainRunner.PLOT_FILE)) > 1000);
		// the end says what was saved and how well it validates
		assertTrue(Double.isFinite(result.validationDice()));
		assertTrue(result.ending(), result.ending().contains(run.resolve(TrainWorkflow.BUNDLE_FILE).toString()) && result.ending().contains("validation Dice"));
		// a plot is never offered as an open image to train on
		assertTrue(TrainingProgress.isPlot(second.plot().getImagePlus()));
		assertFalse(TrainingProgress.isPlot(new ij.ImagePlus("image", new ij.process.ByteProcessor(4, 4))));
		assertTrue(second.plot().getImagePlus().getProperty(Plot.PROPERTY_KEY) != null);
	}

	/** Co-Train through the SciJava command with the given inputs; what it logged. */
	private static String coTrain(Context context, Object... inputs) throws Exception {
		PrintStream old = System.out;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		System.setOut(new PrintStream(out, true));
		try {
			context.service(ModuleService.class).run(context.service(CommandService.class).getCommand(CoTrainCommand.class), false, inputs).get();
		} finally {
			System.setOut(old);
		}
		return out.toString();
	}

	@Test
	public void overwriteReplacesAnEarlierRunAndEvaluationCanBeSkipped() throws Exception {
		Path data = SyntheticDataset.write(tmp.newFolder("with-test").toPath(), 4, 0, 1, 5);
		Path run = tmp.newFolder().toPath().resolve("run");
		Path bundle = run.resolve(TrainWorkflow.BUNDLE_FILE);
		try (Context context = new Context(CommandService.class)) {
			String log = coTrain(context, "labeled", "folder", "dataset", data.toFile(), "subset", "all", "method", "labeled-only", "preset", "cpu", "epochs",
				2, "output", run.toFile(), "options", TinyModel.OPTIONS);
			assertEquals(2, ModelBundle.load(bundle).info().epochs);
			assertTrue("a data set with a test split is evaluated by default", Files.exists(run.resolve("metrics.json")));
			assertTrue(log, log.contains("test Dice"));

			// without Overwrite the earlier run stays
			log = coTrain(context, "labeled", "folder", "dataset", data.toFile(), "subset", "all", "method", "labeled-only", "preset", "cpu", "epochs", 1,
				"output", run.toFile(), "options", TinyModel.OPTIONS);
			assertTrue(log, log.contains("Overwrite"));
			assertEquals(2, ModelBundle.load(bundle).info().epochs);

			// with it, a new run replaces it; evaluation skipped, so no metrics.json (the earlier one is gone)
			log = coTrain(context, "labeled", "folder", "dataset", data.toFile(), "subset", "all", "method", "labeled-only", "preset", "cpu", "epochs", 1,
				"output", run.toFile(), "options", TinyModel.OPTIONS, "overwrite", true, "skipevaluation", true);
			assertEquals(log, 1, ModelBundle.load(bundle).info().epochs);
			assertFalse(Files.exists(run.resolve("metrics.json")));
			assertFalse(log, log.contains("test Dice"));
		}
	}
}
