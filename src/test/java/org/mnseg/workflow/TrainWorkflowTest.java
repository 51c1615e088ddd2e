package org.mnseg.workflow;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.bundle.TensorStore;
import org.mnseg.testutil.StepCounter;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.RunListener;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.JsonObject;

import ai.djl.Device;

/**
 * Whole training runs on a small synthetic data set: learning works, a cancelled run resumes to exactly the result of
 * an uninterrupted one, the same seed gives the same numbers, and nothing is overwritten by mistake.
 */
public class TrainWorkflowTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path dataset;

	@BeforeClass
	public static void writeData() throws Exception {
		dataset = SyntheticDataset.write(tmp.newFolder("data").toPath(), 4, 0, 3, 11);
	}

	private static Map<String, String> tiny(int epochs) {
		Map<String, String> o = new LinkedHashMap<>();
		o.put("levels", "2");
		o.put("base-filters", "4");
		o.put("patch", "16,16,8");
		o.put("epochs", Integer.toString(epochs));
		o.put("iterations-per-epoch", "2");
		o.put("warmup-epochs", "1");
		return o;
	}

	private static TrainWorkflow.Request request(Path run, Map<String, String> overrides, boolean resume, boolean evaluate) {
		return new TrainWorkflow.Request(dataset, 4, "labeled-only", "cpu", overrides, run, resume, evaluate, Device.cpu());
	}

	private static Map<String, TensorStore.Tensor> weights(Path run) {
		return ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE)).models().get("3d").weights().asMap();
	}

	private static void assertSameWeights(Map<String, TensorStore.Tensor> a, Map<String, TensorStore.Tensor> b) {
		assertEquals(a.keySet(), b.keySet());
		for (String k : a.keySet()) assertArrayEquals(k, a.get(k).data(), b.get(k).data(), 0f);
	}

	@Test
	public void cancelledRunResumesToTheUninterruptedResult() throws Exception {
		Path whole = tmp.newFolder("whole").toPath();
		TrainWorkflow.run(request(whole, tiny(4), false, false), RunListener.NONE, () -> false);

		Path parts = tmp.newFolder("parts").toPath();
		StepCounter counter = new StepCounter();
		try {
			// cancel in the middle of the third epoch (after 5 of its 8 steps)
			TrainWorkflow.run(request(parts, tiny(4), false, false), counter, counter.cancelAfter(5));
			fail("expected cancellation");
		} catch (CancellationException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--resume"));
		}
		assertTrue(Files.exists(parts.resolve("checkpoint.mnckpt")));
		assertTrue(!Files.exists(parts.resolve(TrainWorkflow.BUNDLE_FILE)));
		TrainWorkflow.run(request(parts, Map.of(), true, false), RunListener.NONE, () -> false);

		assertSameWeights(weights(whole), weights(parts));
		List<String> log = Files.readAllLines(parts.resolve("log.csv"));
		assertEquals("header + one row per epoch, none repeated: " + log, 5, log.size());
		assertEquals(Files.readAllLines(whole.resolve("log.csv")).subList(1, 5).stream().map(l -> l.substring(0, l.indexOf(',', 3 + l.indexOf(',', 3)))).toList(),
			log.subList(1, 5).stream().map(l -> l.substring(0, l.indexOf(',', 3 + l.indexOf(',', 3)))).toList());
	}

	@Test
	public void sameSeedGivesSameWeightsAndOtherSeedDiffers() throws Exception {
		Path a = tmp.newFolder("seedA").toPath();
		Path b = tmp.newFolder("seedB").toPath();
		Path c = tmp.newFolder("seedC").toPath();
		TrainWorkflow.run(request(a, tiny(2), false, false), RunListener.NONE, () -> false);
		TrainWorkflow.run(request(b, tiny(2), false, false), RunListener.NONE, () -> false);
		Map<String, String> other = tiny(2);
		other.put("seed", "5");
		TrainWorkflow.run(request(c, other, false, false), RunListener.NONE, () -> false);
		assertSameWeights(weights(a), weights(b));
		float[] wa = weights(a).get("out.weight").data();
		float[] wc = weights(c).get("out.weight").data();
		assertTrue(!java.util.Arrays.equals(wa, wc));
	}

	@Test
	public void learnsTheSyntheticStructuresAndReportsTestMetrics() throws Exception {
		Path run = tmp.newFolder("learn").toPath();
		Map<String, String> o = tiny(40);
		o.put("base-filters", "8");
		TrainWorkflow.Result r = TrainWorkflow.run(request(run, o, false, true), RunListener.NONE, () -> false);
		JsonObject summary = Json.read(run.resolve("result.json")).getAsJsonObject();
		for (String key : List.of("dataset", "split", "labeled", "method", "preset", "epochs", "seed", "train_seconds", "peak_rss_mb", "mean"))
			assertTrue("result.json lacks " + key, summary.has(key));
		JsonObject ball = summary.getAsJsonObject("classes").getAsJsonObject("1");
		assertTrue("the bright ball is easy to learn: " + ball, ball.get("dice").getAsDouble() > 0.8);
		JsonObject metrics = Json.read(r.metrics()).getAsJsonObject();
		assertEquals(3, metrics.getAsJsonObject("cases").size());
		List<String> log = Files.readAllLines(run.resolve("log.csv"));
		double first = Double.parseDouble(log.get(1).split(",")[2]);
		double last = Double.parseDouble(log.get(log.size() - 1).split(",")[2]);
		assertTrue("loss falls: " + first + " -> " + last, last < 0.5 * first);
		assertEquals("model,epoch,loss,lr,elapsed_s,rss_mb,peak_rss_mb,heap_mb,direct_mb", log.get(0));
		for (String row : log.subList(1, log.size())) {
			// where the memory is: the epoch's peak is at least its end; the heap's and direct buffers' sizes are read
			double[] m = java.util.Arrays.stream(row.split(",")).skip(5).mapToDouble(Double::parseDouble).toArray();
			assertTrue(row, m[1] >= m[0] && m[2] > 0 && m[3] >= 0);
		}
	}

	@Test
	public void heldOutVolumesAreValidatedAndNeverTrainedOn() throws Exception {
		Path run = tmp.newFolder("validation").toPath();
		Map<String, String> o = tiny(4);
		o.put("validation", "1");
		o.put("validate-every", "2");
		List<Double> seen = new java.util.ArrayList<>();
		RunListener l = new RunListener() {
			@Override
			public void validated(int epoch, double dice) {
				seen.add(dice);
			}
		};
		TrainWorkflow.run(new TrainWorkflow.Request(dataset, 2, "labeled-only", "cpu", o, run, false, false, Device.cpu()), l, () -> false);
		assertEquals(2, seen.size());
		for (double d : seen) assertTrue("Dice in [0, 1]: " + d, d >= 0 && d <= 1);
		List<String> csv = Files.readAllLines(run.resolve("validation.csv"));
		assertEquals(List.of("epoch,dice", String.format(java.util.Locale.ROOT, "1,%.6f", seen.get(0)), String.format(java.util.Locale.ROOT, "3,%.6f", seen.get(1))), csv);
		// the held-out volume is the last labeled case outside the subset, and is not among the trained ones
		ModelBundle b = ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE));
		assertTrue(b.info().labeledCases.toString(), !b.info().labeledCases.contains("case03"));

		try {
			Map<String, String> tooMany = tiny(1);
			tooMany.put("validation", "5");
			TrainWorkflow.run(new TrainWorkflow.Request(dataset, 2, "labeled-only", "cpu", tooMany, tmp.newFolder("v2").toPath(), false, false,
				Device.cpu()), RunListener.NONE, () -> false);
			fail();
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--validation 5"));
		}
	}

	@Test
	public void aRandomlyInitialised2dNetworkMustBeTrainedWhole() throws Exception {
		Map<String, String> o = tiny(1);
		o.put("pretrained2d", "false");
		try {
			TrainWorkflow.run(new TrainWorkflow.Request(dataset, 2, "2d-only", "cpu", o, tmp.newFolder("scratch").toPath(), false, false, Device.cpu()),
				RunListener.NONE, () -> false);
			fail("random weights frozen under LoRA accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--fine-tuning whole"));
		}
	}

	@Test
	public void refusesToOverwriteARunWithoutResume() throws Exception {
		Path run = tmp.newFolder("twice").toPath();
		TrainWorkflow.run(request(run, tiny(1), false, false), RunListener.NONE, () -> false);
		try {
			TrainWorkflow.run(request(run, tiny(1), false, false), RunListener.NONE, () -> false);
			fail();
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--resume"));
		}
	}
}
