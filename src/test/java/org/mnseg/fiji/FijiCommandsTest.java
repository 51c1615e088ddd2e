package org.mnseg.fiji;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.io.VolumeIO;
import org.mnseg.train.Checkpoint;
import org.mnseg.util.Devices;
import org.mnseg.util.UserError;
import org.mnseg.workflow.SegmentWorkflow;
import org.mnseg.inference.Segmenter;
import org.mnseg.workflow.TrainOptions;
import org.mnseg.workflow.TrainWorkflow;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleService;

import ij.ImagePlus;
import ij.Macro;
import ij.gui.Roi;

/**
 * The Fiji commands in a headless JVM, as Fiji runs them with --headless: the ImageJ 1.x plugins read their macro
 * options, the SciJava commands run through a CommandService, and both give what the command line gives.
 */
public class FijiCommandsTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	/** Runs an ImageJ 1.x plugin with macro options on this thread, as run("...", options) does. */
	static void runWithOptions(ij.plugin.PlugIn plugin, String options) throws InterruptedException {
		// ImageJ hands macro options only to threads named "Run$_...", the threads it runs commands on
		Thread t = new Thread(() -> {
			Macro.setOptions(Thread.currentThread(), options);
			try {
				plugin.run("");
			} finally {
				Macro.setOptions(Thread.currentThread(), null);
			}
		}, "Run$_test");
		t.start();
		t.join();
	}

	@Test
	public void segmentPluginWritesTheLabelsOfTheCommandLine() throws Exception {
		Path bundle = TinyModel.bundle();
		Path input = TinyModel.dataset().resolve("images/case00.nii.gz");
		Path cli = tmp.newFolder().toPath();
		ModelBundle b = ModelBundle.load(bundle);
		try (Segmenter s = new Segmenter(b, null, Devices.resolve("cpu"), Segmenter.defaultWindow(b.info()))) {
			SegmentWorkflow.run(s, input, cli, false, org.mnseg.train.RunListener.NONE, null);
		}
		LabelVolume expected = VolumeIO.readLabels(cli.resolve("case00.nii.gz"));

		// the current image: a macro opens the file, so the plugin sees an ImagePlus with the file's calibration
		ImagePlus image = ImagePlusConverter.fromVolume(VolumeIO.readImage(input), "case00.nii.gz");
		SegmentSettings settings = new SegmentSettings(bundle, SegmentSettings.CURRENT_IMAGE, null, null, true, true, true);
		SegmentRunner.Result r = SegmentRunner.run(settings, image, () -> false);
		assertEquals("case00-labels", r.labels().getTitle());
		assertArrayEquals(expected.data(), ImagePlusConverter.toLabels(r.labels()).data());
		// shown at the middle slice of the foreground, with a legend of the model's classes and their colours
		int first = -1, last = -1, plane = expected.shape()[0] * expected.shape()[1];
		for (int i = 0; i < expected.data().length; i++)
			if (expected.data()[i] != 0) {
				if (first < 0) first = i / plane;
				last = i / plane;
			}
		assertTrue("no foreground to test with", first >= 0);
		assertEquals((first + last) / 2 + 1, r.labels().getCurrentSlice());
		String info = (String) r.labels().getProperty("Info");
		List<String> names = ModelBundle.load(bundle).info().classNames;
		for (int k = 1; k < names.size(); k++) {
			String colour = String.format("#%06x", r.labels().getProcessor().getLut().getRGB(k) & 0xffffff);
			assertTrue(info, info.contains(k + " " + names.get(k) + ": colour " + colour + ", "));
		}
		// the overlay: one half-transparent label image per slice with foreground, on that slice of the source
		ij.gui.Overlay overlay = image.getOverlay();
		assertNotNull(overlay);
		long withForeground = java.util.stream.IntStream.range(0, expected.shape()[2])
			.filter(z -> java.util.stream.IntStream.range(z * plane, (z + 1) * plane).anyMatch(i -> expected.data()[i] != 0)).count();
		assertEquals(withForeground, overlay.size());
		for (Roi roi : overlay.toArray()) assertEquals(LabelImages.OVERLAY_NAME, roi.getName());
		SegmentRunner.run(settings, image, () -> false);
		assertEquals("a second run replaces the overlay", withForeground, image.getOverlay().size());
		assertEquals(image.getCalibration().pixelDepth, r.labels().getCalibration().pixelDepth, 0);
		assertEquals(2.0, r.labels().getCalibration().pixelDepth, 0);
		assertTrue("label LUT", r.labels().getProcessor().getLut().getRGB(1) != r.labels().getProcessor().getLut().getRGB(2));
		assertEquals("case00-foreground-probability", r.probability().getTitle());
		assertEquals(32, r.probability().getBitDepth());
		// ROIs: one per class and slice, and they rebuild the labels exactly on every slice they cover
		assertFalse(r.rois().isEmpty());
		for (Roi roi : r.rois()) assertTrue(roi.getName(), roi.getGroup() >= 1 && roi.getPosition() >= 1);

		// the folder, through the plugin and its macro options: the same files as mn segment
		Path out = tmp.newFolder().toPath();
		runWithOptions(new SegmentPlugin(), "model=[" + bundle + "] input=folder folder=[" + input.getParent() + "] output=[" + out + "]");
		for (Path f : SegmentWorkflow.inputs(input.getParent())) {
			Path written = SegmentWorkflow.outputFor(f, out, "");
			assertTrue(written.toString(), Files.exists(written));
		}
		assertArrayEquals(expected.data(), VolumeIO.readLabels(out.resolve("case00.nii.gz")).data());
		// a second run there replaces the files only with Overwrite (without it the plugin refuses, see FijiBadInputTest)
		Files.writeString(out.resolve("case00.nii.gz"), "stale");
		runWithOptions(new SegmentPlugin(), "model=[" + bundle + "] input=folder folder=[" + input.getParent() + "] output=[" + out + "] overwrite");
		assertArrayEquals(expected.data(), VolumeIO.readLabels(out.resolve("case00.nii.gz")).data());
	}

	/**
	 * The Network field reaches the segmenter from both faces: an M&amp;N bundle segmented with {@code network=ensemble}
	 * through the ImageJ 1.x plugin's macro options and through the SciJava command gives the files of
	 * {@code mn segment --role ensemble}, which differ from the 3-D model's alone.
	 */
	@Test
	public void segmentsWithTheNetworkChosenAsTheCommandLineDoes() throws Exception {
		Path bundle = org.mnseg.testutil.TinyBundles.write(tmp.newFolder().toPath().resolve("mn.mnmodel"),
			org.mnseg.testutil.TinyBundles.Partner.SEGFORMER, 3, List.of("a"));
		Path images = tmp.newFolder().toPath();
		java.util.Random random = new java.util.Random(11);
		float[] noise = new float[20 * 18 * 9];
		for (int i = 0; i < noise.length; i++) noise[i] = (float) random.nextGaussian();
		VolumeIO.writeImage(Volume.wrap(noise, new long[] { 20, 18, 9 }, Geometry.unit()), images.resolve("v.nii.gz"));
		java.util.Map<String, Path> cli = new java.util.HashMap<>();
		for (String role : List.of("3d", Segmenter.ENSEMBLE)) {
			Path out = tmp.newFolder().toPath();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			assertEquals(err.toString(), 0, org.mnseg.cli.Main.run(new String[] { "segment", "--model", bundle.toString(), "--input",
				images.toString(), "--output", out.toString(), "--role", role, "--device", "cpu" }, new PrintStream(new ByteArrayOutputStream()),
				new PrintStream(err)));
			cli.put(role, out.resolve("v.nii.gz"));
		}
		byte[] ensemble = VolumeIO.readLabels(cli.get(Segmenter.ENSEMBLE)).data();
		assertFalse("the two models must disagree somewhere for the check to mean anything",
			java.util.Arrays.equals(ensemble, VolumeIO.readLabels(cli.get("3d")).data()));

		Path plugin = tmp.newFolder().toPath();
		runWithOptions(new SegmentPlugin(), "model=[" + bundle + "] input=folder folder=[" + images + "] output=[" + plugin + "] network=ensemble");
		assertArrayEquals(ensemble, VolumeIO.readLabels(plugin.resolve("v.nii.gz")).data());

		Path command = tmp.newFolder().toPath();
		try (Context context = new Context(CommandService.class)) {
			context.service(ModuleService.class).run(context.service(CommandService.class).getCommand(SegmentImageCommand.class), false, "model",
				bundle.toFile(), "input", SegmentSettings.FOLDER, "folder", images.toFile(), "output", command.toFile(), "network", Segmenter.ENSEMBLE).get();
		}
		assertArrayEquals(ensemble, VolumeIO.readLabels(command.resolve("v.nii.gz")).data());
	}

	@Test
	public void segmentReplacesNanVoxelsWhenAsked() throws Exception {
		Volume v = VolumeIO.readImage(TinyModel.dataset().resolve("images/case00.nii.gz"));
		v.data()[0] = Float.NaN;
		v.data()[1] = Float.POSITIVE_INFINITY;
		ImagePlus image = ImagePlusConverter.fromVolume(v, "with-nan");
		SegmentSettings settings = new SegmentSettings(TinyModel.bundle(), SegmentSettings.CURRENT_IMAGE, null, null, false, false, false, "0", false, SegmentSettings.DEFAULT_NETWORK);
		SegmentRunner.Result r = SegmentRunner.run(settings, image, () -> false);
		assertEquals("with-nan-labels", r.labels().getTitle());
		// the open image itself is left as it was: the replacement is made in the copy that is segmented
		assertTrue(Float.isNaN((float) image.getStack().getProcessor(1).getf(0)));
	}

	@Test
	public void roisRebuildTheLabelsTheyWereMadeFrom() throws Exception {
		LabelVolume labels = VolumeIO.readLabels(TinyModel.dataset().resolve("labels/case01.nii.gz"));
		List<Roi> rois = ClassRois.toRois(labels, List.of("background", "ball", "box"));
		int[] s = labels.shape();
		ClassRois.Annotation a = ClassRois.toLabels(rois.toArray(new Roi[0]), s, labels.geometry(), "case01");
		int plane = s[0] * s[1];
		for (int i = 0; i < a.slices().length; i++) {
			int z = a.slices()[i] - 1;
			for (int p = 0; p < plane; p++) assertEquals("slice " + (z + 1) + " pixel " + p, labels.data()[z * plane + p], a.labels().data()[i * plane + p]);
		}
		// every slice holding a class is annotated, and only those
		for (int z = 0; z < s[2]; z++) {
			boolean any = false;
			for (int p = 0; p < plane; p++) any |= labels.data()[z * plane + p] != 0;
			assertEquals("slice " + (z + 1), any, contains(a.slices(), z + 1));
		}
	}

	private static boolean contains(int[] a, int v) {
		for (int x : a)
			if (x == v) return true;
		return false;
	}

	@Test
	public void roiClassesComeFromGroupsNumbersOrNames() {
		Roi a = new Roi(0, 0, 2, 2), b = new Roi(2, 2, 2, 2), c = new Roi(0, 2, 1, 1), d = new Roi(3, 0, 1, 1);
		a.setName("tumour");
		b.setName("2 posterior");
		c.setName("oedema");
		d.setName("x");
		d.setGroup(5);
		ClassRois.Annotation r = ClassRois.toLabels(new Roi[] { a, b, c, d }, new int[] { 4, 4, 1 }, new Geometry(new double[] { 1, 1, 1 }, null), "img");
		byte[] l = r.labels().data();
		assertEquals(1, l[0]); // first distinct name
		assertEquals(2, l[2 * 4 + 2]); // leading number
		assertEquals(2, l[2 * 4 + 0]); // "oedema", the second distinct name
		assertEquals(5, l[3]); // group
		assertEquals(0, l[3 * 4 + 0]); // outside every ROI: background
		try {
			Roi noSlice = new Roi(0, 0, 1, 1);
			noSlice.setName("1");
			ClassRois.toLabels(new Roi[] { noSlice }, new int[] { 4, 4, 3 }, new Geometry(new double[] { 1, 1, 1 }, null), "stack");
			fail("a ROI without slice on a stack must be refused");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("Associate with slices"));
		}
	}

	@Test
	public void exportPluginAndCommandWriteTheBioImageIoModelOfTheCommandLine() throws Exception {
		Path bundle = TinyModel.bundle();
		Path dir = tmp.newFolder().toPath();
		Path cli = dir.resolve("cli.zip"), plugin = dir.resolve("plugin.zip"), command = dir.resolve("command.zip");
		org.mnseg.export.BioImageIoExporter.export(new org.mnseg.export.ExportSettings(bundle, cli, null, null, "Tiny model", java.util.List.of("Me"),
			null, false));
		runWithOptions(new ExportPlugin(), "model=[" + bundle + "] output=[" + plugin + "] name=[Tiny model] authors=Me");
		try (Context context = new Context(CommandService.class)) {
			// a DynamicCommand: the ModuleService's Future waits for it (CommandService.run gives none)
			context.service(ModuleService.class).run(context.service(CommandService.class).getCommand(ExportModelCommand.class), false, "model",
				bundle.toFile(), "output", command.toFile(), "name", "Tiny model", "authors", "Me").get();
		}
		// the same package but for the timestamp-free parts: weights, test tensors and cover are byte for byte equal
		for (Path p : new Path[] { plugin, command }) {
			assertTrue(p + " was not written", Files.isRegularFile(p));
			for (String entry : new String[] { "weights.pt", "test_input.npy", "test_output.npy", "cover.png", "unet3d_torch.py" })
				assertArrayEquals(p + ": " + entry, zipEntry(cli, entry), zipEntry(p, entry));
		}
		// an existing file stays as it is without Overwrite
		long size = Files.size(plugin);
		runWithOptions(new ExportPlugin(), "model=[" + bundle + "] output=[" + plugin + "] name=[Other name]");
		assertEquals(size, Files.size(plugin));
	}

	private static byte[] zipEntry(Path zip, String name) throws java.io.IOException {
		try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
			java.util.zip.ZipEntry e = z.getEntry(name);
			assertNotNull(zip + " lacks " + name, e);
			return z.getInputStream(e).readAllBytes();
		}
	}

	@Test
	public void coTrainCommandTrainsThroughSciJavaAndSavesTheLossPlot() throws Exception {
		Path run = tmp.newFolder().toPath().resolve("run");
		try (Context context = new Context(CommandService.class)) {
			// a DynamicCommand: the ModuleService's Future waits for it (CommandService.run gives none)
			context.service(ModuleService.class).run(context.service(CommandService.class).getCommand(CoTrainCommand.class), false, "labeled", "folder", "dataset", TinyModel.dataset().toFile(), "subset",
				"all", "method", "labeled-only", "architecture", "unet3d", "preset", "cpu", "epochs", 2, "output", run.toFile(), "resume", false,
				"options", TinyModel.OPTIONS).get();
			// both Segment dialogs now offer the new model: Fiji's (SciJava's remembered input) and ImageJ 1.x's
			SegmentImageCommand segment = new SegmentImageCommand();
			context.inject(segment);
			Object offered = context.service(ModuleService.class).load(segment.getInfo().getInput("model"));
			assertEquals(run.resolve(TrainWorkflow.BUNDLE_FILE).toAbsolutePath().toFile(), offered);
			assertEquals(run.resolve(TrainWorkflow.BUNDLE_FILE).toAbsolutePath().toString(),
				new DialogMemory("mnseg.segment.").get(SegmentSettings.DESCRIPTOR.parameter("model")));
		}
		assertTrue(Files.exists(run.resolve(TrainWorkflow.BUNDLE_FILE)));
		assertTrue(Files.size(run.resolve(CoTrainRunner.PLOT_FILE)) > 1000);
		assertEquals(2, ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE)).info().epochs);
	}

	interface Body {
		void run() throws Exception;
	}

	/** A volume of the synthetic data set as an image; {@code labels}: as a label image. */
	private static ImagePlus image(String file, String title, boolean labels) throws Exception {
		Path f = TinyModel.dataset().resolve(file);
		return labels ? ImagePlusConverter.fromLabels(VolumeIO.readLabels(f), title) : ImagePlusConverter.fromVolume(VolumeIO.readImage(f), title);
	}

	/**
	 * Runs {@code body} with the images open: headless there are no windows, so as a batch-mode macro's images, which
	 * WindowManager finds.
	 */
	static void withOpenImages(List<ImagePlus> images, Body body) throws Exception {
		ij.macro.Interpreter.batchMode = true;
		images.forEach(ij.macro.Interpreter::addBatchModeImage);
		try {
			body.run();
		} finally {
			images.forEach(ij.macro.Interpreter::removeBatchModeImage);
			ij.macro.Interpreter.batchMode = false;
		}
	}

	@Test
	public void cancelKeepsACheckpointThatResumes() throws Exception {
		Path run = tmp.newFolder().toPath().resolve("run");
		// labeled data as open image pairs: written into the run folder as a data set
		withOpenImages(List.of(image("images/case00.nii.gz", "img0", false), image("labels/case00.nii.gz", "lab0", true)), () -> {
			AtomicInteger epochs = new AtomicInteger();
			TrainingProgress progress = new TrainingProgress() {
				@Override
				public void epochFinished(EpochReport r) {
					super.epochFinished(r);
					epochs.incrementAndGet();
				}
			};
			CoTrainSettings s = new CoTrainSettings(CoTrainSettings.PAIRS, "img0", "lab0", null, "", null, "labeled-only", "unet3d", "deeplabv3plus-mnv2-ade20k",
				"lora", "cpu", 3, "all", run, false, TinyModel.OPTIONS, null);
			try {
				CoTrainRunner.run(s, null, progress, () -> epochs.get() >= 1);
				fail("cancel must stop the run");
			} catch (CancellationException expected) {
				// stopped after the first epoch
			}
			assertTrue(Files.exists(run.resolve(Checkpoint.FILE_NAME)));
			assertFalse(Files.exists(run.resolve(TrainWorkflow.BUNDLE_FILE)));
			assertTrue(Files.exists(run.resolve("data/images")));
			try {
				CoTrainRunner.run(s, null, new TrainingProgress(), () -> false);
				fail("starting again over a checkpoint must be refused");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("Tick Resume"));
			}
			CoTrainSettings resume = new CoTrainSettings(CoTrainSettings.PAIRS, "", "", null, "", null, "labeled-only", "unet3d", "deeplabv3plus-mnv2-ade20k",
				"lora", "cpu", 0, "all", run, true, "", null);
			CoTrainRunner.run(resume, null, progress, () -> false);
			assertEquals(3, epochs.get());
			assertTrue(Files.exists(run.resolve(TrainWorkflow.BUNDLE_FILE)));
		});
	}

	/** A tiny M&N: the 2-D network a small randomly initialised SegFormer (no pretrained file needed), 2 + 2 epochs. */
	private static final String TINY_MN = TinyModel.MN_OPTIONS;

	/** Messages of a run, and each model's epochs from its log.csv. */
	private static final class Recording extends TrainingProgress {
		final List<String> messages = new java.util.ArrayList<>();

		@Override
		public void message(String text) {
			super.message(text);
			messages.add(text);
		}
	}

	/** The epochs (0-based) log.csv holds for {@code model}. */
	private static List<Integer> loggedEpochs(Path run, String model) throws Exception {
		return Files.readAllLines(run.resolve("log.csv")).stream().skip(1).map(l -> l.split(",")).filter(f -> f[0].equals(model))
			.map(f -> Integer.parseInt(f[1])).toList();
	}

	/** Issue 15: M&N from Fiji's own data (ROIs on an open image, unlabeled open images) trains on the unlabeled volumes. */
	@Test
	public void mnTrainsFromRoisWithUnlabeledOpenImages() throws Exception {
		Path run = tmp.newFolder().toPath().resolve("run");
		Roi[] rois = ClassRois.toRois(VolumeIO.readLabels(TinyModel.dataset().resolve("labels/case01.nii.gz")), List.of("background", "ball", "box"))
			.toArray(new Roi[0]);
		withOpenImages(List.of(image("images/case01.nii.gz", "annotated", false), image("images/case02.nii.gz", "plain one", false),
			image("unlabeled/case04.nii.gz", "plain two", false)), () -> {
				Recording progress = new Recording();
				CoTrainSettings s = new CoTrainSettings(CoTrainSettings.ROIS, "annotated", "", null, "plain one, plain two", null, "mn", "unet3d", "segformer",
					"whole", "cpu", 4, "all", run, false, TINY_MN, null);
				CoTrainRunner.run(s, rois, progress, () -> false);
				assertTrue(progress.messages.toString(), progress.messages.stream().anyMatch(m -> m.contains("1 labeled + 2 unlabeled volumes")));
				// co-training epochs (after the 2 of stage 1) for both networks, each learning from the other on the unlabeled volumes
				assertEquals(List.of(0, 1, 2, 3), loggedEpochs(run, "3d"));
				assertEquals(List.of(0, 1, 2, 3), loggedEpochs(run, "2d"));
				ModelBundle bundle = ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE));
				assertEquals("mn", bundle.info().method);
				assertEquals(1, bundle.info().labeled);
			});
	}

	/**
	 * Issue 13: the dialog's defaults are the README's recommended M&N, and they reach the trained 2-D network: the
	 * ImageNet-encoder UNet, LoRA, slices zoomed twice (only the sizes are shrunk, so that it runs in seconds). The
	 * memory option typed into Options reaches the plan the run trains by.
	 */
	@Test
	public void theDialogsDefaultMnTrainsTheRecommendedPartner() throws Exception {
		org.mnseg.testutil.SharedData.require("models/mobilenet_v2_1.0_224_imagenet_int8.tflite");
		CoTrainSettings defaults = CoTrainSettings.from(new CommandValues(CoTrainSettings.DESCRIPTOR));
		Path run = tmp.newFolder().toPath().resolve("run");
		CoTrainSettings s = new CoTrainSettings(CoTrainSettings.FOLDER, "", "", TinyModel.dataset(), "", null, "mn", defaults.architecture(),
			defaults.model2d(), defaults.finetuning(), defaults.preset(), 2, "all", run, false,
			TinyModel.OPTIONS.replace("iterations-per-epoch=2", "iterations-per-epoch=1") + " batch-size=2 stage-one-epochs=1 slices2d=2 lora-rank=2 foreground-refresh=0.75 pass-slices2d=1", null,
			defaults.sliceZoom(), false, false);
		CoTrainRunner.run(s, null, new Recording(), () -> false);
		assertEquals(List.of(0, 1), loggedEpochs(run, "2d"));
		ModelBundle bundle = ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE));
		ModelBundle.Entry partner = bundle.models().get("2d");
		assertEquals("mnv2-imagenet-unet", partner.architecture());
		assertEquals(2, ((Number) partner.config().get("slice_zoom")).intValue());
		assertEquals("lora", ((java.util.Map<?, ?>) partner.config().get("fine_tuning")).get("strategy"));
		assertEquals(1, com.google.gson.JsonParser.parseString(Files.readString(run.resolve("plan.json"))).getAsJsonObject()
			.getAsJsonObject("settings").get("passSlices2d").getAsInt());
	}

	/** Issue 15: a data set folder at Subset "all" gives M&N every labeled case and its unlabeled/ volumes. */
	@Test
	public void mnTrainsOnAFolderAtSubsetAll() throws Exception {
		Path run = tmp.newFolder().toPath().resolve("run");
		Recording progress = new Recording();
		CoTrainSettings s = new CoTrainSettings(CoTrainSettings.FOLDER, "", "", TinyModel.dataset(), "", null, "mn", "unet3d", "segformer", "whole", "cpu", 4,
			"all", run, false, TINY_MN, null);
		CoTrainRunner.run(s, null, progress, () -> false);
		assertTrue(progress.messages.toString(), progress.messages.stream().anyMatch(m -> m.contains("4 labeled + 1 unlabeled volumes")));
		assertEquals(List.of(0, 1, 2, 3), loggedEpochs(run, "2d"));
		assertTrue(Files.exists(run.resolve(TrainWorkflow.BUNDLE_FILE)));
	}

	/** Issue 13: the "2-D weights file" field reaches the run's plan as --weights2d (here refused: the file is absent). */
	@Test
	public void theWeightsFileFieldReachesThePlan() throws Exception {
		Path run = tmp.newFolder().toPath().resolve("run");
		Path absent = run.resolveSibling("absent.safetensors").toAbsolutePath();
		CoTrainSettings s = new CoTrainSettings(CoTrainSettings.FOLDER, "", "", TinyModel.dataset(), "", null, "2d-only", "unet3d", "segformer-b0",
			"whole", "cpu", 1, "all", run, false, TinyModel.OPTIONS, absent);
		try {
			CoTrainRunner.run(s, null, new Recording(), () -> false);
			org.junit.Assert.fail("an absent weights file was accepted");
		} catch (org.mnseg.util.UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--weights2d " + absent));
		}
	}

	/** Issue 15: a start that fails, or is cancelled before its first checkpoint, leaves an output folder that starts again. */
	@Test
	public void aFailedStartLeavesTheOutputFolderReusable() throws Exception {
		Path run = tmp.newFolder().toPath().resolve("run");
		withOpenImages(List.of(image("images/case00.nii.gz", "img-r", false), image("labels/case00.nii.gz", "lab-r", true)), () -> {
			// a setting the core refuses only after the data was written
			CoTrainSettings bad = new CoTrainSettings(CoTrainSettings.PAIRS, "img-r", "lab-r", null, "", null, "labeled-only", "unet3d", "deeplabv3plus-mnv2-ade20k",
				"lora", "cpu", 1, "all", run, false, TinyModel.OPTIONS + " patch=big", null);
			try {
				CoTrainRunner.run(bad, null, new TrainingProgress(), () -> false);
				fail("patch=big accepted");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("patch"));
			}
			assertFalse("data left behind by a failed start", Files.exists(run.resolve(TrainingSetWriter.FOLDER)));

			// Esc during epoch 1: nothing to resume, and the message says so
			CoTrainSettings good = new CoTrainSettings(CoTrainSettings.PAIRS, "img-r", "lab-r", null, "", null, "labeled-only", "unet3d",
				"deeplabv3plus-mnv2-ade20k", "lora", "cpu", 1, "all", run, false, TinyModel.OPTIONS, null);
			try {
				CoTrainRunner.run(good, null, new TrainingProgress(), () -> true);
				fail("cancel must stop the run");
			} catch (CancellationException e) {
				assertTrue(e.getMessage(), e.getMessage().contains("no checkpoint was saved yet"));
				assertFalse(e.getMessage(), e.getMessage().contains("is kept"));
			}
			assertFalse(Files.exists(run.resolve(Checkpoint.FILE_NAME)));
			assertFalse(Files.exists(run.resolve(TrainingSetWriter.FOLDER)));

			// and the same folder starts a new run
			CoTrainRunner.run(good, null, new TrainingProgress(), () -> false);
			assertTrue(Files.exists(run.resolve(TrainWorkflow.BUNDLE_FILE)));
		});
	}

	@Test
	public void userMistakesAreMessagesWithoutStackTraces() throws Exception {
		PrintStream old = System.out, oldErr = System.err;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		System.setOut(new PrintStream(out, true));
		System.setErr(new PrintStream(out, true));
		try {
			runWithOptions(new SegmentPlugin(), "model=[/no/such/model.mnmodel] input=[current image]");
			runWithOptions(new CoTrainPlugin(), "labeled=folder output=[" + tmp.newFolder() + "] options=[learning-rate=3]");
		} finally {
			System.setOut(old);
			System.setErr(oldErr);
		}
		String log = out.toString();
		assertTrue(log, log.contains("M&N Segment error: The model file /no/such/model.mnmodel does not exist"));
		assertTrue(log, log.contains("M&N Co-Train error: Options: 'learning-rate' is not a training setting"));
		assertFalse(log, log.contains("\tat "));
	}

	@Test
	public void optionsParseAsTheCommandLineDoes() {
		assertEquals("48,48,32", TrainOptions.parse("patch=48,48,32 --lr3d 3e-4", "Options").get("patch"));
		assertEquals("3e-4", TrainOptions.parse("patch=48,48,32 --lr3d 3e-4", "Options").get("lr3d"));
		assertEquals(-1, CoTrainRunner.subset("all"));
		assertEquals(4, CoTrainRunner.subset("4"));
		try {
			CoTrainRunner.subset("four");
			fail();
		} catch (UserError e) {
			assertNotNull(e.getMessage());
		}
	}
}
