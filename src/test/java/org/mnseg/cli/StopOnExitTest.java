package org.mnseg.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.testutil.SyntheticDataset;

/**
 * Fault test: {@code mn train} stopped with SIGTERM (what a cluster's time limit, {@code scancel} and {@code kill} send;
 * Ctrl-C takes the same path; {@link org.mnseg.util.StopOnExit}) in the middle of its run finishes the step it is in, says how to continue, exits
 * without a JVM crash file, keeps its checkpoint, and {@code --resume} goes on from it to a bundle.
 */
public class StopOnExitTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void sigtermStopsTrainingAfterItsStepAndTheRunResumes() throws Exception {
		Path data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 3, 31);
		Path run = tmp.getRoot().toPath().resolve("run");
		Path workingDir = tmp.newFolder("cwd").toPath(); // where a JVM crash would write its hs_err file

		Process p = KillResumeTest.start(KillResumeTest.trainCommand(data, run, false), workingDir);
		StringBuilder log = new StringBuilder();
		boolean signalled = false;
		try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line; (line = r.readLine()) != null;) {
				log.append(line).append('\n');
				Matcher m = KillResumeTest.EPOCH.matcher(line);
				// after the warm-up's third epoch: inside co-training's first epoch (or the stage-one write before it)
				if (!signalled && m.find() && Integer.parseInt(m.group(2)) >= 3) {
					p.toHandle().destroy(); // SIGTERM (Process.destroy would also close the output we read)
					signalled = true;
				}
			}
		}
		assertTrue("the stopped run did not end", p.waitFor(2, TimeUnit.MINUTES));
		assertTrue("the run ended before the signal:\n" + log, signalled);
		String out = log.toString();
		assertFalse("the run wrote its bundle before the signal landed (too fast to test here):\n" + out, Files.exists(run.resolve("model.mnmodel")));
		// 128 + 15: the JVM reports the signal; 130 would mean the command returned before the hook ran
		assertEquals(out, 143, p.exitValue());
		assertTrue(out, out.contains("mn: asked to exit (SIGTERM, Ctrl-C or quit): finishing the current step"));
		assertTrue(out, out.contains("mn train: Training cancelled") && out.contains("Run again with --resume to continue."));
		try (Stream<Path> files = Files.list(workingDir)) {
			List<Path> crashes = files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
			assertTrue("the JVM crashed on the way out: " + crashes, crashes.isEmpty());
		}
		assertTrue(Files.isRegularFile(run.resolve("checkpoint.mnckpt")));

		Process resumed = KillResumeTest.start(KillResumeTest.trainCommand(data, run, true), workingDir);
		String rest = new String(resumed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue("the resumed run did not finish", resumed.waitFor(5, TimeUnit.MINUTES));
		assertEquals(rest, 0, resumed.exitValue());
		assertTrue(rest, rest.contains("Resuming at epoch "));
		assertTrue(Files.isRegularFile(run.resolve("model.mnmodel")));
	}
}
