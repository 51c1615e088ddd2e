package org.mnseg.workflow;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.TensorStore;
import org.mnseg.bundle.ZipContainer;
import org.mnseg.testutil.StepCounter;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.Checkpoint;
import org.mnseg.train.RunListener;
import org.mnseg.train.StageOneReuse;
import org.mnseg.util.UserError;

import ai.djl.Device;

/**
 * A run folder is held by one run at a time: a second claim is refused while the first holds it, in this process or
 * another, and a holder killed with SIGKILL leaves no lock that blocks the next run. A run that lost its stage-one
 * file at the end of its warm-up writes it again on resume.
 */
public class RunFolderTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	/** Holds the run folder named by the argument until killed (run in a child JVM by the test). */
	public static void main(String[] args) throws Exception {
		RunFolder.claim(Path.of(args[0]), false, false);
		System.out.println("claimed");
		System.out.flush();
		Thread.sleep(120_000);
	}

	@Test
	public void aSecondClaimInThisProcessIsRefusedUntilTheFirstEnds() throws Exception {
		Path dir = tmp.newFolder("same-process").toPath();
		try (RunFolder first = RunFolder.claim(dir, false, false)) {
			UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, true, false));
			assertTrue(e.getMessage(), e.getMessage().contains("Another training run is using the run folder"));
		}
		RunFolder.claim(dir, true, false).close();
	}

	@Test
	public void anotherProcessHoldingTheFolderBlocksAndItsKillReleasesIt() throws Exception {
		Path dir = tmp.newFolder("other-process").toPath();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RunFolderTest.class.getName(), dir.toString())
			.redirectErrorStream(true).start();
		try {
			BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
			assertEquals("claimed", out.readLine());
			UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, true, false));
			assertTrue(e.getMessage(), e.getMessage().contains(RunFolder.LOCK_FILE));
		} finally {
			child.destroyForcibly(); // SIGKILL: the process cannot release anything itself
			assertTrue(child.waitFor(30, TimeUnit.SECONDS));
		}
		assertTrue("the lock file stays", Files.exists(dir.resolve(RunFolder.LOCK_FILE)));
		RunFolder.claim(dir, true, false).close();
	}

	@Test
	public void aFileAsRunFolderIsRefusedInOneLine() throws Exception {
		Path file = tmp.newFile("not-a-folder").toPath();
		UserError e = assertThrows(UserError.class, () -> RunFolder.claim(file, false, false));
		assertTrue(e.getMessage(), e.getMessage().contains("is a file") && !e.getMessage().contains("Exception"));
	}

	@Test
	public void aLostStageOneFileIsWrittenAgainOnResume() throws Exception {
		Path data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 4, 0, 21);
		Map<String, String> o = CoTrainingTest.tiny("mn", 4);
		Path run = tmp.newFolder("mn").toPath();
		StepCounter counter = new StepCounter();
		try {
			// 2 warm-up epochs x 2 models x 2 steps = 8 steps: stop in the first co-training epoch
			TrainWorkflow.run(new TrainWorkflow.Request(data, 2, "mn", "cpu", o, run, false, false, Device.cpu()), counter, counter.cancelAfter(9));
			fail("expected cancellation");
		} catch (CancellationException expected) {
			// the checkpoint of the warm-up's last epoch stays
		}
		Path stageOne = run.resolve(StageOneReuse.FILE_NAME);
		TensorStore warmUp = ZipContainer.read(stageOne, "checkpoint").tensors("models/3d");
		// as a run killed while writing it leaves the folder: no stage-one file, a temporary file of its write
		Files.delete(stageOne);
		Path part = run.resolve(".part999-" + StageOneReuse.FILE_NAME);
		Files.writeString(part, "half written");
		TrainWorkflow.run(new TrainWorkflow.Request(null, 2, "mn", "cpu", Map.of(), run, true, false, Device.cpu()), RunListener.NONE, () -> false);

		assertFalse(Files.exists(part));
		assertEquals(2, Checkpoint.readHeader(stageOne).nextEpoch());
		TensorStore again = ZipContainer.read(stageOne, "checkpoint").tensors("models/3d");
		warmUp.asMap().forEach((name, t) -> assertArrayEquals(name, t.data(), again.get(name).data(), 0f));
	}
}
