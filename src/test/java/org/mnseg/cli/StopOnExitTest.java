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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.Geometry;
import org.mnseg.data.Volume;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.testutil.TinyBundles;

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

	/**
	 * {@code mn segment} stopped with SIGTERM inside its second volume keeps the first volume's labels, writes nothing
	 * half-done, says how to go on, and {@code --skip-existing} then segments the rest.
	 */
	@Test
	public void sigtermStopsSegmentationBetweenWindowsAndSkipExistingFinishes() throws Exception {
		Path bundle = TinyBundles.write(tmp.getRoot().toPath().resolve("lo.mnmodel"), TinyBundles.Partner.NONE, 5, List.of("a"));
		Path images = tmp.newFolder("images").toPath(), out = tmp.getRoot().toPath().resolve("labels");
		Random random = new Random(3);
		// a small volume first, then one of tens of thousands of windows, so that the signal lands inside it
		for (String name : List.of("a-small", "b-large")) {
			long[] dims = name.equals("a-small") ? new long[] { 20, 18, 9 } : new long[] { 192, 192, 64 };
			float[] v = new float[(int) (dims[0] * dims[1] * dims[2])];
			for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
			VolumeIO.writeImage(Volume.wrap(v, dims, Geometry.unit()), images.resolve(name + ".nii.gz"));
		}
		List<String> cmd = KillResumeTest.mnCommand("2g", List.of("segment", "--model", bundle.toString(), "--input", images.toString(), "--output",
			out.toString(), "--threads", "1", "--device", "cpu"));
		Path workingDir = tmp.newFolder("segment-cwd").toPath();
		Process p = KillResumeTest.start(cmd, workingDir);
		StringBuilder log = new StringBuilder();
		boolean signalled = false;
		try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line; (line = r.readLine()) != null;) {
				log.append(line).append('\n');
				if (!signalled && line.contains("b-large.nii.gz (2/2)")) {
					Thread.sleep(200); // inside its sliding window
					p.toHandle().destroy();
					signalled = true;
				}
			}
		}
		assertTrue("the stopped segmentation did not end", p.waitFor(2, TimeUnit.MINUTES));
		String text = log.toString();
		assertTrue("the segmentation ended before the signal:\n" + text, signalled);
		assertFalse("the large volume was done before the signal landed (too fast to test here):\n" + text, Files.exists(out.resolve("b-large.nii.gz")));
		assertEquals(text, 143, p.exitValue());
		assertTrue(text, text.contains("mn: asked to exit (SIGTERM, Ctrl-C or quit)"));
		assertTrue(text, text.contains("The volumes written are kept: the same command with --skip-existing segments the rest."));
		assertTrue(Files.isRegularFile(out.resolve("a-small.nii.gz")));
		try (Stream<Path> files = Stream.concat(Files.list(out), Files.list(workingDir))) {
			List<Path> left = files.filter(f -> f.getFileName().toString().contains(".part") || f.getFileName().toString().startsWith("hs_err")).toList();
			assertTrue("left behind: " + left, left.isEmpty());
		}

		List<String> rest = new java.util.ArrayList<>(cmd);
		rest.add("--skip-existing");
		Process again = KillResumeTest.start(rest, workingDir);
		String second = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(again.waitFor(5, TimeUnit.MINUTES));
		assertEquals(second, 0, again.exitValue());
		assertTrue(second, second.contains("1 volume(s) done before, 1 to segment"));
		assertTrue(Files.isRegularFile(out.resolve("b-large.nii.gz")));
	}
}
