package org.mnseg.fiji;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.Checkpoint;
import org.mnseg.train.RunListener;
import org.mnseg.workflow.TrainOptions;
import org.mnseg.workflow.TrainWorkflow;

import ai.djl.Device;

/**
 * Found by {@link ResearcherPathTest}: Cancel training, pressed as co-training began, waited for the 3-D model's
 * prediction of every unlabeled volume (minutes each on a busy computer), since Cancel was heard only between
 * training steps. It is now heard between the volumes too.
 */
public class CancelWhilePredictingTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void cancelIsHeardBetweenTheVolumesOfAForegroundPrediction() throws Exception {
		Path data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 2, 11);
		Map<String, String> o = new LinkedHashMap<>(TrainOptions.parse(TinyModel.MN_OPTIONS.replace("stage-one-epochs=2", "stage-one-epochs=1"),
			"Options"));
		o.put("epochs", "3");
		AtomicBoolean cancel = new AtomicBoolean();
		List<String> messages = new ArrayList<>();
		RunListener listener = new RunListener() {
			@Override
			public void phase(String name, int done, int total) {
				messages.add(name + " (" + done + "/" + total + ")");
				// the user presses Cancel while the first unlabeled volume is predicted
				if (name.startsWith("Foreground refresh") && done == 0) cancel.set(true);
			}
		};
		Path run = tmp.getRoot().toPath().resolve("run");
		try {
			TrainWorkflow.run(new TrainWorkflow.Request(data, 2, "mn", "cpu", o, run, false, false, Device.cpu()), listener, cancel::get);
			fail("the run went on after Cancel: " + messages);
		} catch (CancellationException e) {
			assertTrue(e.getMessage(), e.getMessage().startsWith("Training cancelled while foreground refresh before epoch"));
			assertTrue(e.getMessage(), e.getMessage().contains("the last checkpoint is kept"));
		}
		assertTrue(messages.toString(), cancel.get());
		assertFalse("a volume was still predicted after Cancel: " + messages, messages.stream().anyMatch(m -> m.startsWith("Foreground refresh") && !m.endsWith("(0/2)")));
		assertTrue(Files.exists(run.resolve(Checkpoint.FILE_NAME)));
	}
}
