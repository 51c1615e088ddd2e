package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.workflow.TrainOptions;

/**
 * An ImageJ that exits while "M&amp;N Co-Train" runs (SIGTERM to a headless ImageJ or Fiji from a job's time limit;
 * File &gt; Quit in the GUI) stops the run after its step as Cancel does: the message in the dialog's words, no JVM
 * crash file, the checkpoint kept, and the same macro with Resume ticked finishes the model.
 * The command-line side of the same hook: {@code cli.StopOnExitTest}.
 */
public class QuitDuringTrainingTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	private Path data, fiji, cwd, run;
	private List<String> classPath;

	@Before
	public void setUp() throws Exception {
		data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 3, 31);
		fiji = tmp.newFolder("fiji").toPath();
		cwd = tmp.newFolder("cwd").toPath(); // where a JVM crash would leave its hs_err file
		run = tmp.getRoot().toPath().resolve("run");
		classPath = new ArrayList<>(ImageJProcess.libraryJars());
		classPath.add(ImageJProcess.pluginJar(fiji).toString());
	}

	@Test
	public void sigtermToImageJStopsCoTrainAfterItsStepAndResumeFinishes() throws Exception {
		Process p = ImageJProcess.start(classPath, fiji, cwd, "ij.ImageJ", "-batch", macro(false).toString());
		Output out = Output.of(p);
		// the first checkpoint is written after the first epoch: from then on a stop leaves something to resume
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
		while (!TrainOptions.hasCheckpoint(run) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
		assertTrue("no checkpoint within 4 minutes, or ImageJ ended before it:\n" + out.text(), p.isAlive() && TrainOptions.hasCheckpoint(run));
		p.toHandle().destroy(); // SIGTERM
		String text = out.waitForEnd(2, "the stopped ImageJ");
		assertEquals(text, 143, p.exitValue());
		// once: without a window the log line and the status line are the same line on the console
		assertEquals(text, 1, text.split("M&N Co-Train cancelled. Training cancelled", -1).length - 1);
		assertStoppedCleanly(text);
		assertResumeFinishes();
	}

	/**
	 * File &gt; Quit in the ImageJ GUI closes every window (the Cancel window and the live plot among them) under the
	 * running training, then exits: the training still stops after its step with its message (on the console: by then
	 * the Log window is closed too). The quit comes right after the first checkpoint, as the first plot window opens.
	 */
	@Test
	public void fileQuitInTheGuiStopsCoTrainAfterItsStepAndResumeFinishes() throws Exception {
		List<String> cp = new ArrayList<>(classPath);
		cp.add(Paths.get("target/test-classes").toAbsolutePath().toString());
		Process p = ImageJProcess.start(cp, fiji, cwd, QuitDriver.class.getName(), coTrainOptions(false), run.toString());
		String text = Output.of(p).waitForEnd(6, "ImageJ after File > Quit");
		assertTrue("ImageJ ended before it quit:\n" + text, text.contains("QUIT"));
		assertEquals(text, 0, p.exitValue()); // ImageJ's own System.exit(0)
		assertTrue(text, text.contains("TRAINING THREAD ended"));
		assertStoppedCleanly(text);
		assertResumeFinishes();
	}

	/** What both ways out leave: the two lines (Fiji's words: the Resume checkbox), no crash, the checkpoint, no model. */
	private void assertStoppedCleanly(String text) throws IOException {
		assertFalse("the run wrote its model before the stop landed (too fast to test here):\n" + text, Files.exists(run.resolve("model.mnmodel")));
		assertTrue(text, text.contains("M&N Co-Train: asked to exit (SIGTERM, Ctrl-C or quit): finishing the current step"));
		// the stop lands in an epoch or in a phase between epochs (a foreground refresh), whichever the quit meets
		assertTrue(text, (text.contains("M&N Co-Train cancelled. Training cancelled during epoch ")
			|| text.contains("M&N Co-Train cancelled. Training cancelled while "))
			&& text.contains("the last checkpoint is kept. Run again with 'Resume' to continue."));
		assertFalse(text, text.contains("Exception"));
		try (Stream<Path> files = Files.list(cwd)) {
			assertTrue("the JVM crashed on the way out", files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")));
		}
		assertTrue(TrainOptions.hasCheckpoint(run));
	}

	/** The same macro with Resume ticked, in batch, goes on from the checkpoint to the model. */
	private void assertResumeFinishes() throws Exception {
		String rest = Output.of(ImageJProcess.start(classPath, fiji, cwd, "ij.ImageJ", "-batch", macro(true).toString())).waitForEnd(5, "the resumed run");
		assertTrue(rest, rest.contains("macro finished"));
		assertTrue(rest, rest.contains("Resuming at epoch "));
		assertTrue(rest, Files.isRegularFile(run.resolve("model.mnmodel")));
	}

	/** The Co-Train options a batch job would give: tiny M&amp;N on the folder, the stop after the first of 6 epochs. */
	private String coTrainOptions(boolean resume) {
		return "labeled=folder dataset=[" + data + "] subset=2 method=mn architecture=unet3d model2d=segformer finetuning=whole preset=cpu epochs=6"
			+ " output=[" + run + "]" + (resume ? " resume" : "") + " options=[" + TinyModel.MN_OPTIONS + " seed=5]";
	}

	/** A batch macro that runs Co-Train with {@link #coTrainOptions} (quotes escaped for the macro's string). */
	private Path macro(boolean resume) throws IOException {
		Path macro = Files.createTempFile(tmp.getRoot().toPath(), "cotrain", ".ijm");
		String call = "run(\"" + CoTrainPlugin.COMMAND + "\", \"" + coTrainOptions(resume).replace("\"", "\\\"") + "\");";
		Files.writeString(macro, String.join("\n", "setBatchMode(true);", call, "print(\"macro finished\");", ""));
		return macro;
	}

	/** A process's output, read as it comes (the pipe must be drained, or the process blocks on a full one). */
	private record Output(Process process, ByteArrayOutputStream bytes, Thread reader) {
		static Output of(Process p) {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			Thread reader = new Thread(() -> {
				try (InputStream in = p.getInputStream()) {
					in.transferTo(bytes);
				} catch (IOException e) {
					// the process is gone: what was read stays
				}
			}, "imagej-output");
			reader.setDaemon(true);
			reader.start();
			return new Output(p, bytes, reader);
		}

		/** What was read so far. */
		String text() {
			return bytes.toString(StandardCharsets.UTF_8);
		}

		/** All the output, once the process has ended; fails (ending it) where it runs longer than {@code minutes}. */
		String waitForEnd(int minutes, String what) throws InterruptedException {
			if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
				process.destroyForcibly().waitFor();
				throw new AssertionError(what + " did not end within " + minutes + " min:\n" + text());
			}
			reader.join(5000);
			return text();
		}
	}
}
