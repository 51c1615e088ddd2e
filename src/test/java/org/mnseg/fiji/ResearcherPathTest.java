package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.testutil.SharedData;
import org.mnseg.workflow.TrainWorkflow;

/**
 * Issue 15's proof in the real ImageJ GUI (Xvfb, a 1366 x 768 laptop screen): M&amp;N from ROIs drawn on two
 * hippocampus volumes plus two unlabeled open volumes, Cancel training, Resume, and Segment with the model just
 * trained ({@link ResearcherDriver} does what the user does; this test checks what it printed). About a minute here;
 * skips without Xvfb or without the shared hippocampus data. Its screenshots (target/screenshots) are those of
 * docs/fiji.md: copy them to docs/images after a change to the dialogs.
 */
public class ResearcherPathTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** Total epochs: 1 of stage one, then co-training; Cancel, pressed after the first, lands before the end. */
	private static final int EPOCHS = 3;

	/**
	 * The tiny test networks, with one epoch of stage one; the unlabeled volumes' foreground predicted once, when
	 * co-training starts (0.4 x 3 epochs rounds to epoch 1, the first of stage two): a whole-volume prediction is the
	 * slowest step of this run.
	 */
	private static final String OPTIONS = TinyModel.MN_OPTIONS.replace("stage-one-epochs=2", "stage-one-epochs=1").replace("foreground-refresh=0.75",
		"foreground-refresh=0.4");

	@Test
	public void mnFromRoisAndUnlabeledImagesCancelsResumesAndSegmentsOnALaptopScreen() throws Exception {
		Path data = SharedData.require("data/hippocampus");
		assertTrue("TinyModel.MN_OPTIONS changed: " + OPTIONS, OPTIONS.contains("stage-one-epochs=1") && OPTIONS.contains("foreground-refresh=0.4"));
		Path fiji = tmp.newFolder("fiji").toPath();
		List<String> cp = new ArrayList<>(ImageJProcess.libraryJars());
		cp.add(ImageJProcess.pluginJar(fiji).toString());
		cp.add(Paths.get("target/test-classes").toAbsolutePath().toString());
		Path run = tmp.getRoot().toPath().resolve("run").toAbsolutePath();
		Path shots = Paths.get("target/screenshots").toAbsolutePath();
		List<String> labeled = HippocampusSample.TRAIN.subList(0, 2), unlabeled = HippocampusSample.TRAIN.subList(2, 4);
		long start = System.nanoTime();
		ImageJProcess.Result r = ImageJProcess.runOnScreen(ImageJProcess.LAPTOP, cp, fiji, null, 600, ResearcherDriver.class.getName(), data.toString(),
			run.toString(), shots.toString(), String.join(",", labeled), String.join(",", unlabeled), OPTIONS, Integer.toString(EPOCHS));
		String out = r.output();
		for (String line : out.split("\n"))
			if (line.matches("^(LOG|SCREEN|FIT|ROIS|FIRST_CHECKPOINT_S|TIME_TO_CANCEL_S|CANCELLED_AFTER_EPOCHS|RESUME_S|SEGMENT_S|TOTAL_S|LABELS|SHOT) .*"))
				System.out.println(line);
		System.out.printf("ResearcherPathTest: the ImageJ process took %.0f s%n", (System.nanoTime() - start) / 1e9);
		assertTrue(out, out.contains("DRIVER DONE"));
		assertTrue(out, out.contains("SCREEN 1366 768"));
		assertFalse(out, value(out, "OPENED").contains("none"));

		// every dialog, and its OK button, lies on the 1366 x 768 screen
		for (String dialog : List.of("cotrain", "advanced", "segment")) {
			Matcher m = Pattern.compile("FIT " + dialog + " dialog (-?\\d+) (-?\\d+) (\\d+) (\\d+) ok (-?\\d+) (-?\\d+) (\\d+) (\\d+) (true|false)\\s+(\\S+)")
				.matcher(out);
			assertTrue(out, m.find());
			int[] v = IntStream.rangeClosed(1, 8).map(i -> Integer.parseInt(m.group(i))).toArray();
			assertTrue(dialog + " dialog off the screen: " + m.group(), v[0] >= 0 && v[1] >= 0 && v[0] + v[2] <= 1366 && v[1] + v[3] <= 768);
			assertTrue(dialog + " OK button off the screen: " + m.group(), v[4] >= 0 && v[5] >= 0 && v[4] + v[6] <= 1366 && v[5] + v[7] <= 768);
			assertEquals(m.group(), "true", m.group(9));
			assertEquals(m.group(), "OK", m.group(10));
		}

		// M&N co-trained: the two ROI-annotated images are the labeled cases, the two open images the unlabeled ones
		assertTrue(out, Integer.parseInt(value(out, "ROIS")) > 0);
		assertTrue(out, out.contains("2 labeled + 2 unlabeled volumes"));
		assertEquals(2, count(run.resolve("data/labels")));
		assertEquals(2, count(run.resolve("data/unlabeled")));

		// Cancel training stopped the run with its checkpoint and without a model; the dialog remembered all but Resume
		Matcher cancelled = Pattern.compile("CANCELLED_AFTER_EPOCHS (\\d+) model (\\w+) checkpoint (\\w+)").matcher(out);
		assertTrue(out, cancelled.find());
		assertTrue(cancelled.group(), Integer.parseInt(cancelled.group(1)) >= 1 && Integer.parseInt(cancelled.group(1)) < EPOCHS);
		assertEquals(cancelled.group(), "false", cancelled.group(2));
		assertEquals(cancelled.group(), "true", cancelled.group(3));
		String[] remembered = value(out, "REMEMBERED").split(" \\| ");
		assertEquals(out, List.of(CoTrainSettings.ROIS, "mn", "resume ticked false"), List.of(remembered[0], remembered[1], remembered[3]));
		assertEquals(out, run, Paths.get(remembered[2])); // the folder field may end in a separator

		// Resume finished the run: every epoch of both networks logged once, in order, and the model saved
		List<Integer> all = IntStream.range(0, EPOCHS).boxed().toList();
		assertEquals(out, all.toString(), value(out, "EPOCHS_3D"));
		assertEquals(out, all.toString(), value(out, "EPOCHS_2D"));
		ModelBundle bundle = ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE));
		assertEquals("mn", bundle.info().method);
		assertEquals(2, bundle.info().labeled);
		assertEquals(EPOCHS, bundle.info().epochs);

		// Segment offered that model and opened the label image of the unlabeled volume, on its grid, with the overlay
		assertEquals(out, run.resolve(TrainWorkflow.BUNDLE_FILE).toString(), value(out, "MODEL_OFFERED"));
		Matcher labels = Pattern.compile("LABELS (\\S+) (\\S+) source (\\S+) foreground (\\d+) overlay (\\d+)").matcher(out);
		assertTrue(out, labels.find());
		assertEquals(unlabeled.get(0) + LabelImages.LABELS_SUFFIX, labels.group(1));
		assertEquals(labels.group(), labels.group(3), labels.group(2));
		for (String shot : List.of("cotrain-dialog.png", "cotrain-advanced.png", "cotrain-progress.png", "segment-result.png"))
			assertTrue(shot, Files.size(shots.resolve(shot)) > 2000);
	}

	/** The rest of the line that starts with {@code key}. */
	private static String value(String out, String key) {
		Matcher m = Pattern.compile("(?m)^" + key + " (.*)$").matcher(out);
		assertTrue(key + " missing:\n" + out, m.find());
		return m.group(1).trim();
	}

	private static long count(Path dir) throws Exception {
		try (Stream<Path> files = Files.list(dir)) {
			return files.count();
		}
	}
}
