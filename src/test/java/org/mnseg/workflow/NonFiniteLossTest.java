package org.mnseg.workflow;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.Checkpoint;
import org.mnseg.train.RunListener;
import org.mnseg.util.UserError;

import ai.djl.Device;

/**
 * A loss that turns non-finite stops the run with a message naming the model, epoch and step; the checkpoint of the
 * last finished epoch stays byte for byte, and no bundle or result is written.
 */
public class NonFiniteLossTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void aNonFiniteLossStopsTheRunAndKeepsTheLastCheckpoint() throws Exception {
		Path dataset = SyntheticDataset.write(tmp.newFolder("data").toPath(), 3, 0, 0, 5);
		Map<String, String> o = new LinkedHashMap<>();
		o.put("levels", "2");
		o.put("base-filters", "4");
		o.put("patch", "16,16,8");
		o.put("epochs", "3");
		o.put("iterations-per-epoch", "2");
		o.put("warmup-epochs", "1");
		o.put("weight-decay", "0");
		// epoch 1 warms up at 1% of this rate and stays finite; the full rate of epoch 2 pushes the weights past float
		// range. Measured: 3e20 to 3e21 fail in epoch 2, 1e20 only in epoch 3, 1e22 already in epoch 1; the rounding of
		// any op (the upsampling's, for one) moves these edges a little, so the rate sits in the middle of the range.
		o.put("lr3d", "1e21");
		Path run = tmp.getRoot().toPath().resolve("run");
		byte[][] afterEpochOne = new byte[1][];
		RunListener keepCheckpoint = new RunListener() {
			@Override
			public void epochFinished(EpochReport r) {
				// called after the epoch's checkpoint was written
				if (r.epoch() == 0) try {
					afterEpochOne[0] = Files.readAllBytes(run.resolve(Checkpoint.FILE_NAME));
				} catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			}
		};
		try {
			TrainWorkflow.run(new TrainWorkflow.Request(dataset, 3, "labeled-only", "cpu", o, run, false, false, Device.cpu()), keepCheckpoint, () -> false);
			fail("the run went on with a non-finite loss");
		} catch (UserError e) {
			String msg = e.getMessage();
			assertTrue(msg, msg.contains("'3d' model became") && msg.contains("epoch 2, step") && msg.contains("No model bundle was written")
				&& msg.contains("checkpoint of the last finished epoch is kept"));
		}
		assertNotNull("epoch 1 finished", afterEpochOne[0]);
		assertArrayEquals(afterEpochOne[0], Files.readAllBytes(run.resolve(Checkpoint.FILE_NAME)));
		assertFalse(Files.exists(run.resolve(TrainWorkflow.BUNDLE_FILE)));
		assertFalse(Files.exists(run.resolve("result.json")));
		assertEquals(0, Files.list(run).filter(p -> p.toString().endsWith(".part")).count());
	}
}
