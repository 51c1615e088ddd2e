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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.workflow.TrainOptions;

/**
 * An ImageJ that exits while "M&amp;N Co-Train" runs (SIGTERM to a headless ImageJ or Fiji from a job's time limit, or
 * File &gt; Quit, which ends in the same JVM exit) stops the run after its step as Cancel does: the message in the
 * dialog's words, no JVM crash file, the checkpoint kept, and the same macro with Resume ticked finishes the model.
 * The command-line side of the same hook: {@code cli.StopOnExitTest}.
 */
public class QuitDuringTrainingTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void sigtermToImageJStopsCoTrainAfterItsStepAndResumeFinishes() throws Exception {
		Path data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 3, 31);
		Path fiji = tmp.newFolder("fiji").toPath(), cwd = tmp.newFolder("cwd").toPath();
		Path run = tmp.getRoot().toPath().resolve("run");
		List<String> cp = new ArrayList<>(ImageJProcess.libraryJars());
		cp.add(ImageJProcess.pluginJar(fiji).toString());

		Process p = ImageJProcess.start(cp, fiji, cwd, "ij.ImageJ", "-batch", macro(data, run, false).toString());
		Output out = Output.of(p);
		// the first checkpoint is written after the first epoch: from then on a stop leaves something to resume
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
		while (!TrainOptions.hasCheckpoint(run) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
		assertTrue("no checkpoint within 4 minutes, or ImageJ ended before it:\n" + out.text(), p.isAlive() && TrainOptions.hasCheckpoint(run));
		p.toHandle().destroy(); // SIGTERM
		String text = out.waitForEnd(2, "the stopped ImageJ");
		assertFalse("the run wrote its model before the signal landed (too fast to test here):\n" + text, Files.exists(run.resolve("model.mnmodel")));
		assertEquals(text, 143, p.exitValue());
		assertTrue(text, text.contains("M&N Co-Train: asked to exit (SIGTERM, Ctrl-C or quit): finishing the current step"));
		// Fiji's words for the core's: the Resume checkbox, not --resume
		// once: without a window the log line and the status line are the same line on the console
		assertEquals(text, 1, text.split("M&N Co-Train cancelled. Training cancelled", -1).length - 1);
		assertTrue(text, text.contains("Run again with 'Resume' to continue."));
		assertFalse(text, text.contains("Exception"));
		try (Stream<Path> files = Files.list(cwd)) {
			assertTrue("the JVM crashed on the way out", files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")));
		}
		assertTrue(TrainOptions.hasCheckpoint(run));

		Process again = ImageJProcess.start(cp, fiji, cwd, "ij.ImageJ", "-batch", macro(data, run, true).toString());
		String rest = Output.of(again).waitForEnd(5, "the resumed run");
		assertTrue(rest, rest.contains("macro finished"));
		assertTrue(rest, rest.contains("Resuming at epoch "));
		assertTrue(rest, Files.isRegularFile(run.resolve("model.mnmodel")));
	}

	/** The macro a batch job would run: tiny M&amp;N on the folder, the signal after the first of 6 epochs. */
	private Path macro(Path data, Path run, boolean resume) throws IOException {
		Path macro = Files.createTempFile(tmp.getRoot().toPath(), "cotrain", ".ijm");
		String options = TinyModel.MN_OPTIONS.replace("\"", "\\\"") + " seed=5";
		Files.writeString(macro, String.join("\n", "setBatchMode(true);", "run(\"M&N Co-Train\", \"labeled=folder dataset=[" + data + "] subset=2 method=mn"
			+ " architecture=unet3d model2d=segformer finetuning=whole preset=cpu epochs=6 output=[" + run + "]" + (resume ? " resume" : "")
			+ " options=[" + options + "]\");", "print(\"macro finished\");", ""));
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
