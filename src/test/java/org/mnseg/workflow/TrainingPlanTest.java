package org.mnseg.workflow;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.Method;
import org.mnseg.train.RunListener;
import org.mnseg.train.TrainingPlan;
import org.mnseg.util.UserError;

import ai.djl.Device;

/**
 * The plan is made and checked before any volume is read: identity is not an option, every out-of-range or
 * inconsistent option is refused with one line naming it, and a resumed run refuses options that differ from its plan.
 */
public class TrainingPlanTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path dataset;

	@BeforeClass
	public static void writeData() throws Exception {
		dataset = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 2, 1, 5);
	}

	private static TrainWorkflow.Request request(String method, int labeled, Map<String, String> options, Path run, boolean resume) {
		return new TrainWorkflow.Request(dataset, labeled, method, "cpu", options, run, resume, false, Device.cpu());
	}

	private static String refusal(String option, String value) throws Exception {
		return refusal("labeled-only", option, value);
	}

	private static String refusal(String method, String option, String value) throws Exception {
		return refusal(method, Map.of(option, value));
	}

	private static String refusal(String method, Map<String, String> o) throws Exception {
		Path run = tmp.newFolder().toPath().resolve("run");
		try {
			TrainWorkflow.plan(request(method, 2, o, run, false));
			fail(o + " accepted");
		} catch (UserError e) {
			assertFalse("a refused plan leaves no run folder", Files.exists(run));
			return e.getMessage();
		}
		return null;
	}

	@Test
	public void anUnknownNetworkIsRefusedBeforeAnyVolumeIsRead() throws Exception {
		String message = refusal("architecture2d", "segformer-b9");
		assertTrue(message, message.startsWith("--architecture2d 'segformer-b9' is not a 2-D network") && message.contains("segformer-b5"));
		// a 2-D network in the 3-D role is no 3-D network
		message = refusal("architecture3d", "mnv2-imagenet-unet");
		assertTrue(message, message.startsWith("--architecture3d 'mnv2-imagenet-unet' is not a 3-D network") && message.contains("[unet3d]"));
	}

	@Test
	public void fineTuningAndAugmentationSettingsAreCheckedBeforeAnyVolumeIsRead() throws Exception {
		assertTrue(refusal("mn", "fine-tuning", "bogus").contains("'bogus'"));
		assertTrue(refusal("mn", "lora-rank", "0").contains("LoRA rank"));
		assertTrue(refusal("mn", "lora-dropout", "1.5").contains("LoRA dropout"));
		assertTrue(refusal("labeled-only", "gamma-min", "2").contains("--gamma-min"));
		assertTrue(refusal("labeled-only", "zoom-min", "0").contains("--zoom-min"));
	}

	@Test
	public void theTwoDNetworksOptionsAreCheckedBeforeAnyVolumeIsRead() throws Exception {
		String unet = "mnv2-imagenet-unet";
		String message = refusal("mn", Map.of("architecture2d", unet, "options2d", "{\"slice_zom\": 2}"));
		assertTrue(message, message.equals("Unknown option 'slice_zom' for network " + unet + " in --options2d: known options are [input_scaling, slice_zoom, weights, weights_file]"));
		assertTrue(refusal("mn", Map.of("architecture2d", unet, "options2d", "{\"slice_zoom\": 0}")).contains("at least 1"));
		assertTrue(refusal("mn", Map.of("architecture2d", unet, "options2d", "{\"input_scaling\": \"zscore\"}")).contains("input_scaling"));
		assertTrue(refusal("mn", Map.of("architecture2d", unet, "options2d", "{\"num_classes\": 3}")).contains("from the data set"));
		assertTrue(refusal("mn", Map.of("architecture2d", "segformer-b0", "options2d", "{\"weights\": \"mit-b3\"}")).contains("'mit-b0'"));
		assertTrue(refusal("mn", Map.of("architecture2d", "segformer", "options2d", "{\"depths\": [1,1,1,1]}")).contains("needs the option"));
		// what the networks take passes the plan
		Map<String, String> good = Map.of("architecture2d", unet, "options2d", "{\"slice_zoom\": 2, \"input_scaling\": \"imagenet\"}");
		assertEquals(unet, TrainWorkflow.plan(request("mn", 2, good, tmp.newFolder().toPath().resolve("run"), false)).settings().architecture2d);
	}

	@Test
	public void outOfRangeOptionsAreRefusedNamingTheOption() throws Exception {
		assertTrue(refusal("epochs", "0").contains("--epochs"));
		assertTrue(refusal("batch-size", "0").contains("--batch-size"));
		assertTrue(refusal("iterations-per-epoch", "0").contains("--iterations-per-epoch"));
		assertTrue(refusal("lr3d", "NaN").contains("--lr3d"));
		assertTrue(refusal("lr2d", "-1").contains("--lr2d"));
		assertTrue(refusal("stage-one-fraction", "2").contains("--stage-one-fraction"));
		assertTrue(refusal("overlap", "1").contains("--overlap"));
		assertTrue(refusal("patch", "20,16,8").contains("multiple of 8"));
		assertTrue(refusal("lrg", "sometimes").contains("sampling"));
		assertTrue(refusal("lrg-rounding", "step").contains("--lrg-rounding"));
		assertTrue(refusal("foreground-refresh", "0.5,2").contains("--foreground-refresh"));
		assertTrue(refusal("options2d", "[1,2]").contains("--options2d"));
		assertTrue(refusal("method", "mn").contains("Unknown training option --method"));
		assertTrue(refusal("labeled", "4").contains("Unknown training option --labeled"));
	}

	@Test
	public void theMethodAndTheLabeledCountAreChecked() throws Exception {
		try {
			TrainWorkflow.plan(request("co-train", 2, Map.of(), tmp.newFolder().toPath(), false));
			fail("unknown method accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("mn-control"));
		}
		try {
			TrainWorkflow.plan(request("mn", 0, Map.of(), tmp.newFolder().toPath(), false));
			fail("labeled 0 accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("1 to 2"));
		}
	}

	@Test
	public void thePlanIsWrittenBeforeTrainingAndAResumeKeepsIt() throws Exception {
		Path run = tmp.newFolder("resume").toPath();
		Map<String, String> o = new LinkedHashMap<>(Map.of("levels", "2", "base-filters", "4", "patch", "16,16,8", "epochs", "1",
			"iterations-per-epoch", "1", "warmup-epochs", "0"));
		TrainingPlan plan = TrainWorkflow.plan(request("labeled-only", 2, o, run, false));
		assertEquals(Method.LABELED_ONLY, plan.method());
		assertEquals(2, plan.fingerprint().labeledVolumes());
		TrainWorkflow.run(request("labeled-only", 2, o, run, false), RunListener.NONE, () -> false);
		assertEquals(plan.toJson(), com.google.gson.JsonParser.parseString(Files.readString(run.resolve(TrainingPlan.FILE_NAME))));

		Map<String, String> more = new LinkedHashMap<>(o);
		more.put("epochs", "3");
		try {
			TrainWorkflow.plan(request("labeled-only", 2, more, run, true));
			fail("a resume with other --epochs accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--epochs (1 in the run, 3 given)"));
		}
		// the run is finished, so only a run killed before writing its results resumes (to write them)
		Files.delete(run.resolve("result.json"));
		assertEquals(plan.toJson(), TrainWorkflow.plan(request("labeled-only", 2, o, run, true)).toJson());
	}

	@Test
	public void weights2dIsRecordedAbsoluteAndInconsistentUsesAreRefused() throws Exception {
		Path file = tmp.newFile("weights.safetensors").toPath();
		Map<String, String> o = new LinkedHashMap<>();
		o.put("architecture2d", "segformer-b0");
		o.put("weights2d", file.toString());
		TrainingPlan plan = TrainWorkflow.plan(request("2d-only", 2, o, tmp.newFolder().toPath(), false));
		assertEquals(file.toAbsolutePath().normalize().toString(), plan.settings().weights2d);

		assertTrue(refusal("weights2d", file.toString()).contains("trains no 2-D network"));
		String missing = tmp.getRoot().toPath().resolve("absent.safetensors").toString();
		o.put("weights2d", missing);
		assertTrue(planRefusal("2d-only", o).contains("does not exist"));
		o.put("weights2d", file.toString());
		o.put("pretrained2d", "false");
		o.put("fine-tuning", "whole");
		assertTrue(planRefusal("2d-only", o).contains("--pretrained2d false"));
		o.remove("pretrained2d");
		o.put("options2d", "{\"weights_file\": \"" + file + "\"}");
		o.put("architecture2d", "deeplabv3-mnv2-pascal");
		assertTrue(planRefusal("2d-only", o).contains("given twice"));
	}

	private static String planRefusal(String method, Map<String, String> o) throws Exception {
		try {
			TrainWorkflow.plan(request(method, 2, o, tmp.newFolder().toPath().resolve("run"), false));
			fail(o + " accepted");
		} catch (UserError e) {
			assertFalse(e.getMessage(), e.getMessage().contains("\n"));
			return e.getMessage();
		}
		return null;
	}
}
