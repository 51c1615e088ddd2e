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
import org.mnseg.bundle.ZipContainer;
import org.mnseg.dataset.Case;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.data.Volume;
import org.mnseg.inference.Segmentation;
import org.mnseg.inference.Segmenter;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.StepCounter;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.Checkpoint;
import org.mnseg.train.StageOneReuse;
import org.mnseg.train.RunListener;
import org.mnseg.util.UserError;

import ai.djl.Device;

/**
 * M&N and its ablations on a small synthetic data set with a tiny SegFormer as the 2-D model (random initialisation,
 * so no pretrained file is needed): every method runs, a run cancelled during co-training resumes to exactly the
 * uninterrupted result for both models, and bundles hold what each method trains.
 */
public class CoTrainingTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path dataset;

	@BeforeClass
	public static void writeData() throws Exception {
		dataset = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 4, 1, 21);
	}

	static Map<String, String> tiny(String method, int epochs) {
		Map<String, String> o = new LinkedHashMap<>();
		o.put("levels", "2");
		o.put("base-filters", "4");
		o.put("patch", "16,16,8");
		o.put("batch-size", "3");
		o.put("epochs", Integer.toString(epochs));
		o.put("stage-one-epochs", "2");
		o.put("iterations-per-epoch", "2");
		o.put("warmup-epochs", "1");
		o.put("slices2d", "4");
		o.put("foreground-refresh", "0.75");
		o.put("architecture2d", "segformer");
		o.put("options2d", "{\"hidden_sizes\":[8,16,24,32],\"depths\":[1,1,1,1],\"num_attention_heads\":[1,1,2,2],\"sr_ratios\":[4,2,1,1],"
			+ "\"patch_sizes\":[7,3,3,3],\"strides\":[4,2,2,2],\"mlp_ratios\":[4,4,4,4],\"decoder_hidden_size\":16}");
		return o;
	}

	static TrainWorkflow.Request request(String method, Path run, Map<String, String> o, boolean resume, boolean evaluate) {
		return new TrainWorkflow.Request(dataset, 2, method, "cpu", o, run, resume, evaluate, Device.cpu());
	}

	@Test
	public void mnResumedDuringCoTrainingEqualsUninterrupted() throws Exception {
		Path whole = tmp.newFolder("mn-whole").toPath();
		TrainWorkflow.run(request("mn", whole, tiny("mn", 4), false, false), RunListener.NONE, () -> false);

		Path parts = tmp.newFolder("mn-parts").toPath();
		StepCounter counter = new StepCounter();
		try {
			// 2 warm-up epochs x 2 models x 2 steps = 8 steps; stop inside the first co-training epoch
			TrainWorkflow.run(request("mn", parts, tiny("mn", 4), false, false), counter, counter.cancelAfter(9));
			fail("expected cancellation");
		} catch (CancellationException e) {
			// the checkpoint of epoch 2 stays
		}
		TrainWorkflow.run(request("mn", parts, Map.of(), true, false), RunListener.NONE, () -> false);

		ModelBundle a = ModelBundle.load(whole.resolve(TrainWorkflow.BUNDLE_FILE));
		ModelBundle b = ModelBundle.load(parts.resolve(TrainWorkflow.BUNDLE_FILE));
		assertEquals(List.of("3d", "2d"), List.copyOf(a.models().keySet()));
		for (String role : List.of("3d", "2d"))
			a.models().get(role).weights().asMap().forEach((name, t) ->
				assertArrayEquals(role + " " + name, t.data(), b.models().get(role).weights().get(name).data(), 0f));
		List<String> log = Files.readAllLines(parts.resolve("log.csv"));
		assertEquals("header + 2 rows per epoch: " + log, 9, log.size());
		// co-training epochs: the 2-D model first, then the 3-D model
		assertTrue(log.get(5), log.get(5).startsWith("2d,2,"));
		assertTrue(log.get(6), log.get(6).startsWith("3d,2,"));
	}

	@Test
	public void ablationsContinueFromAnotherRunsWarmUpExactly() throws Exception {
		Path source = tmp.newFolder("warm-up-source").toPath();
		TrainWorkflow.run(request("mn", source, tiny("mn", 4), false, false), RunListener.NONE, () -> false);
		assertTrue(Files.exists(source.resolve(StageOneReuse.FILE_NAME)));

		// uniform sampling trained in full, and the same run continuing the source's warm-up
		Map<String, String> uniform = tiny("mn", 4);
		uniform.put("lrg", "uniform");
		Path full = tmp.newFolder("uniform-full").toPath();
		TrainWorkflow.run(request("mn", full, uniform, false, false), RunListener.NONE, () -> false);
		Map<String, String> reused = new LinkedHashMap<>(uniform);
		reused.put("stage-one-from", source.toString());
		Path continued = tmp.newFolder("uniform-continued").toPath();
		StepCounter counter = new StepCounter();
		TrainWorkflow.run(request("mn", continued, reused, false, false), counter, () -> false);
		assertEquals("only the 2 co-training epochs x 2 models x 2 steps run", 8, counter.steps());

		ModelBundle a = ModelBundle.load(full.resolve(TrainWorkflow.BUNDLE_FILE));
		ModelBundle b = ModelBundle.load(continued.resolve(TrainWorkflow.BUNDLE_FILE));
		for (String role : List.of("3d", "2d"))
			a.models().get(role).weights().asMap().forEach((name, t) ->
				assertArrayEquals(role + " " + name, t.data(), b.models().get(role).weights().get(name).data(), 0f));
		List<String> log = Files.readAllLines(continued.resolve("log.csv"));
		assertEquals("the warm-up's rows are carried over: " + log, 9, log.size());
		assertEquals(Files.readAllLines(full.resolve("log.csv")).get(1).split(",")[2], log.get(1).split(",")[2]);

		// a warm-up trained with another seed is refused, naming the setting
		Map<String, String> otherSeed = new LinkedHashMap<>(reused);
		otherSeed.put("seed", "7");
		try {
			TrainWorkflow.run(request("fixed-pseudo", tmp.newFolder("other-seed").toPath(), otherSeed, false, false), RunListener.NONE,
				() -> false);
			fail("expected a refusal");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("seed (101 there, 7 here)"));
		}
	}

	@Test
	public void theControlSharesMnsWarmUpButNeverSeesAnUnlabeledVolume() throws Exception {
		Path mn = tmp.newFolder("control-mn").toPath();
		TrainWorkflow.run(request("mn", mn, tiny("mn", 4), false, false), RunListener.NONE, () -> false);

		Map<String, String> o = tiny("mn-control", 4);
		o.put("stage-one-from", mn.toString());
		Path control = tmp.newFolder("control").toPath();
		List<String> messages = new java.util.ArrayList<>();
		StepCounter counter = new StepCounter() {
			@Override
			public void message(String text) {
				messages.add(text);
			}
		};
		TrainWorkflow.run(request("mn-control", control, o, false, false), counter, () -> false);
		assertEquals("the 2 epochs after the shared warm-up, both models", 8, counter.steps());
		assertTrue(messages.toString(), messages.stream().noneMatch(m -> m.contains("unlabeled")));
		assertEquals("mn-control", com.google.gson.JsonParser.parseString(Files.readString(control.resolve("plan.json"))).getAsJsonObject()
			.get("method").getAsString());
		// same warm-up, different second stage: the 3-D weights part ways only after it
		ModelBundle withUnlabeled = ModelBundle.load(mn.resolve(TrainWorkflow.BUNDLE_FILE));
		ModelBundle without = ModelBundle.load(control.resolve(TrainWorkflow.BUNDLE_FILE));
		String name = firstName(withUnlabeled, "3d");
		assertTrue("co-training with unlabeled patches must change the 3-D model",
			!java.util.Arrays.equals(withUnlabeled.models().get("3d").weights().get(name).data(), without.models().get("3d").weights().get(name).data()));
	}

	/**
	 * Without unlabeled patches nothing flows from the 2-D model to the 3-D model, and every batch's randomness is keyed
	 * on the model's role: so one control run is the control of M&N with any 2-D partner (the seed rows rely on it).
	 */
	@Test
	public void theControlsThreeDModelIsTheSameWhateverThe2dPartner() throws Exception {
		Path small = tmp.newFolder("control-small-partner").toPath();
		TrainWorkflow.run(request("mn-control", small, tiny("mn-control", 4), false, false), RunListener.NONE, () -> false);
		Map<String, String> other = tiny("mn-control", 4);
		other.put("options2d", "{\"hidden_sizes\":[16,16,32,32],\"depths\":[2,1,1,1],\"num_attention_heads\":[1,1,2,2],\"sr_ratios\":[4,2,1,1],"
			+ "\"patch_sizes\":[7,3,3,3],\"strides\":[4,2,2,2],\"mlp_ratios\":[4,4,4,4],\"decoder_hidden_size\":32}");
		other.put("fine-tuning", "decoder");
		Path large = tmp.newFolder("control-other-partner").toPath();
		TrainWorkflow.run(request("mn-control", large, other, false, false), RunListener.NONE, () -> false);

		ModelBundle a = ModelBundle.load(small.resolve(TrainWorkflow.BUNDLE_FILE));
		ModelBundle b = ModelBundle.load(large.resolve(TrainWorkflow.BUNDLE_FILE));
		String first2d = firstName(a, "2d");
		assertTrue("the partners differ in size", a.models().get("2d").weights().get(first2d).data().length
			!= b.models().get("2d").weights().get(first2d).data().length);
		a.models().get("3d").weights().asMap().forEach((name, t) ->
			assertArrayEquals("3d " + name, t.data(), b.models().get("3d").weights().get(name).data(), 0f));
	}

	private static String firstName(ModelBundle bundle, String role) {
		return bundle.models().get(role).weights().asMap().keySet().iterator().next();
	}

	@Test
	public void everyMethodTrainsWhatItShouldAndSegments() throws Exception {
		for (String method : List.of("2d-only", "fixed-pseudo")) {
			Path run = tmp.newFolder(method).toPath();
			TrainWorkflow.Result r = TrainWorkflow.run(request(method, run, tiny(method, 3), false, true), RunListener.NONE, () -> false);
			ModelBundle bundle = ModelBundle.load(r.bundle());
			assertEquals(method, bundle.info().method);
			if (method.equals("2d-only")) {
				assertEquals(List.of("2d"), List.copyOf(bundle.models().keySet()));
				assertEquals("2d", bundle.defaultRole());
			} else {
				assertEquals("3d", bundle.defaultRole());
				// the fixed masks are exactly what segmenting with the (afterwards unchanged) 2-D model gives
				Case first = DatasetSpec.open(dataset).unlabeled(2).get(0);
				byte[] stored = ZipContainer.read(run.resolve(Checkpoint.FILE_NAME), "checkpoint").bytes("state/pseudo/00000");
				try (Segmenter s = new Segmenter(bundle, "2d", Device.cpu(), Segmenter.defaultWindow(bundle.info()))) {
					assertArrayEquals(s.segment(VolumeIO.readImage(first.image())).labels().data(), stored);
				}
			}
			assertTrue(r.summary().has("mean"));
			Volume image = VolumeIO.readImage(dataset.resolve("test/images/test00.nii.gz"));
			try (Segmenter s = new Segmenter(bundle, null, Device.cpu(), Segmenter.defaultWindow(bundle.info()))) {
				Segmentation seg = s.segment(image);
				assertArrayEquals(image.shape(), seg.labels().shape());
			}
		}
	}
}
