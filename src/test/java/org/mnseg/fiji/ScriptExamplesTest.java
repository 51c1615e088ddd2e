package org.mnseg.fiji;

import org.mnseg.nn.EngineThreads;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.SimpleBindings;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.LabelVolume;
import org.mnseg.io.VolumeIO;
import org.mnseg.train.RunListener;
import org.mnseg.util.Devices;
import org.mnseg.workflow.SegmentWorkflow;
import org.mnseg.inference.Segmenter;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleService;

/**
 * The examples in scripts/examples, run as users run them, on real hippocampus MRI: the ImageJ macro in an ImageJ 1.x
 * JVM (its run(...) lines dispatched through plugins.config), the Groovy script through its JSR-223 engine against
 * the SciJava commands. Both train a tiny model and segment a folder; the label files must be exactly what the
 * command line's segmentation gives with the model they trained.
 */
public class ScriptExamplesTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	private static final Path EXAMPLES = Paths.get("scripts/examples");

	@Test
	public void macroTrainsAndSegmentsInBatch() throws Exception {
		HippocampusSample data = HippocampusSample.link(tmp.newFolder("in").toPath());
		Path fiji = tmp.newFolder("fiji").toPath();
		List<String> cp = new ArrayList<>(ImageJProcess.libraryJars());
		cp.add(ImageJProcess.pluginJar(fiji).toString());
		Path out = tmp.newFolder("out").toPath();
		// no single=: the one-image part takes the first image, a .nii.gz, opened and saved by M&N's NIfTI commands
		String args = "dataset=[" + data.dataset + "] images=[" + data.images + "] out=[" + out + "] epochs=2 options=[" + TinyModel.OPTIONS + "]";
		ImageJProcess.Result r = ImageJProcess.run(cp, fiji, null, 300, "ij.ImageJ", "-batch", EXAMPLES.resolve("train_and_segment.ijm").toAbsolutePath().toString(), args);
		assertTrue(r.output(), r.output().contains("M&N example done"));
		assertEquals(r.output(), 0, r.exitCode());
		assertSameAsCommandLine(out.resolve("run/model.mnmodel"), data.images, out.resolve("labels"));
		// the single open image: its label image saved as NIfTI, the same voxels and header as the folder's file
		Path first = SegmentWorkflow.inputs(data.images).get(0);
		String name = VolumeIO.baseName(first);
		Path single = out.resolve(name + "-labels.nii.gz"), folder = out.resolve("labels/" + name + ".nii.gz");
		assertArrayEquals(VolumeIO.readLabels(folder).data(), VolumeIO.readLabels(single).data());
		assertArrayEquals(VolumeIO.readLabels(folder).geometry().niftiHeader(), VolumeIO.readLabels(single).geometry().niftiHeader());
	}

	@Test
	public void macroEndsABatchRunWithStatusOneWhenAStepFails() throws Exception {
		Path fiji = tmp.newFolder("fiji").toPath();
		List<String> cp = new ArrayList<>(ImageJProcess.libraryJars());
		cp.add(ImageJProcess.pluginJar(fiji).toString());
		Path missing = tmp.getRoot().toPath().resolve("no-such-dataset");
		String args = "dataset=[" + missing + "] images=[" + missing + "] out=[" + tmp.newFolder("out") + "]";
		ImageJProcess.Result r = ImageJProcess.run(cp, fiji, null, 120, "ij.ImageJ", "-batch", EXAMPLES.resolve("train_and_segment.ijm").toAbsolutePath().toString(), args);
		assertEquals(r.output(), BatchExit.FAILED, r.exitCode());
		assertTrue(r.output(), r.output().contains("M&N Co-Train error"));
		assertFalse(r.output(), r.output().contains("M&N example done"));
	}

	@Test
	public void groovyScriptTrainsAndSegmentsInBatch() throws Exception {
		HippocampusSample data = HippocampusSample.link(tmp.newFolder("in").toPath());
		Path out = tmp.newFolder("out").toPath();
		ScriptEngine groovy = new ScriptEngineManager().getEngineByName("groovy");
		try (Context context = new Context(CommandService.class)) {
			SimpleBindings b = new SimpleBindings();
			// what Fiji's script framework does with the #@ lines: fill these variables
			b.put("command", context.service(CommandService.class));
			b.put("modules", context.service(ModuleService.class));
			b.put("dataset", data.dataset.toFile());
			b.put("images", data.images.toFile());
			b.put("out", out.toFile());
			b.put("epochs", 2);
			b.put("options", TinyModel.OPTIONS);
			String script = Files.readString(EXAMPLES.resolve("train_and_segment.groovy")).replaceAll("(?m)^#@", "//#@");
			groovy.eval(script, b);
		}
		assertSameAsCommandLine(out.resolve("run/model.mnmodel"), data.images, out.resolve("labels"));
	}

	@Test
	public void coreApiFromGroovyTrainsOnAFolderAndSegmentsAnImgLib2Image() throws Exception {
		HippocampusSample data = HippocampusSample.link(tmp.newFolder("core-in").toPath());
		Path run = tmp.newFolder("core-run").toPath();
		Path first = SegmentWorkflow.inputs(data.images).get(0);
		net.imglib2.img.array.ArrayImg<net.imglib2.type.numeric.real.FloatType, ?> image = VolumeIO.readImage(first).image();
		ScriptEngine groovy = new ScriptEngineManager().getEngineByName("groovy");
		SimpleBindings b = new SimpleBindings();
		b.put("folder", data.dataset);
		b.put("runDir", run);
		b.put("image", image);
		b.put("epochs", 2);
		// the tiny test network instead of the preset's, so that the test stays fast
		String script = Files.readString(EXAMPLES.resolve("core_api.groovy"))
			.replace("[\"epochs\": \"$epochs\".toString()]", "org.mnseg.fiji.TinyModel.overrides(epochs)");
		groovy.eval(script, b);
		Object labels = b.get("labels");
		assertTrue("labels: " + labels, labels instanceof net.imglib2.img.array.ArrayImg);
		// the same labels as mn segment gives for the file the image came from (whose spacing is 1 mm too)
		ModelBundle bundle = ModelBundle.load(run.resolve("model.mnmodel"));
		EngineThreads.prepare();
		try (Segmenter s = new Segmenter(bundle, null, Devices.resolve("cpu"), Segmenter.defaultWindow(bundle.info()))) {
			byte[] expected = s.segment(VolumeIO.readImage(first)).labels().data();
			byte[] actual = new byte[expected.length];
			net.imglib2.Cursor<?> c = ((net.imglib2.img.array.ArrayImg<?, ?>) labels).cursor();
			for (int k = 0; c.hasNext(); k++) actual[k] = (byte) ((net.imglib2.type.numeric.integer.UnsignedByteType) c.next()).get();
			assertArrayEquals(expected, actual);
		}
	}

	/** Every input has a label file, equal to what {@code mn segment} writes with the same bundle. */
	static void assertSameAsCommandLine(Path bundle, Path images, Path written) throws Exception {
		assertTrue("no model " + bundle, Files.exists(bundle));
		Path cli = Files.createTempDirectory("mn-cli");
		ModelBundle b = ModelBundle.load(bundle);
		EngineThreads.prepare();
		try (Segmenter s = new Segmenter(b, null, Devices.resolve("cpu"), Segmenter.defaultWindow(b.info()))) {
			SegmentWorkflow.run(s, images, cli, false, RunListener.NONE, null);
		}
		for (Path f : SegmentWorkflow.inputs(images)) {
			Path name = SegmentWorkflow.outputFor(f, cli, "").getFileName();
			LabelVolume expected = VolumeIO.readLabels(cli.resolve(name));
			LabelVolume actual = VolumeIO.readLabels(written.resolve(name));
			assertArrayEquals(expected.shape(), actual.shape());
			assertArrayEquals(name.toString(), expected.data(), actual.data());
			assertEquals(VolumeIO.readImage(f).shape()[2], actual.shape()[2]);
		}
	}
}
