package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.io.VolumeIO;
import org.mnseg.suggest.Measure;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.testutil.TinyBundles;
import org.mnseg.testutil.TinyBundles.Partner;
import org.mnseg.util.Json;
import org.mnseg.workflow.SuggestWorkflow;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import com.google.gson.JsonObject;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.macro.Interpreter;

/** "M&N Suggest Annotations" headless: heat maps and "annotate next" ROIs from open images, and the files of a folder. */
public class SuggestAnnotationsTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void theCommandShowsHeatMapsAndNamesTheTopSlices() throws Exception {
		Path data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 0, 2, 13);
		Path bundle = TinyBundles.write(tmp.getRoot().toPath().resolve("mn.mnmodel"), Partner.SEGFORMER, 4, List.of());
		Path out = tmp.getRoot().toPath().resolve("out");
		List<ImagePlus> images = List.of(ImagePlusConverter.fromVolume(VolumeIO.readImage(data.resolve("unlabeled/case00.nii.gz")), "vol-a"),
			ImagePlusConverter.fromVolume(VolumeIO.readImage(data.resolve("unlabeled/case01.nii.gz")), "vol-b"));
		// headless there are no windows: the images are a batch-mode macro's, which WindowManager finds
		Interpreter.batchMode = true;
		images.forEach(Interpreter::addBatchModeImage);
		SuggestRunner.Result r;
		try (Context context = new Context(CommandService.class)) {
			// a DynamicCommand: the ModuleService's Future waits for it
			Module m = context.service(ModuleService.class).run(context.service(CommandService.class).getCommand(SuggestAnnotationsCommand.class), false,
				"model", bundle.toFile(), "input", SuggestSettings.OPEN_IMAGES, "top", 3, "output", out.toFile()).get();
			r = ((SuggestAnnotationsCommand) m.getDelegateObject()).result();
		} finally {
			// the heat maps it showed too: later tests in this JVM must find no open image
			for (int id : Interpreter.getBatchModeImageIDs()) Interpreter.removeBatchModeImage(Interpreter.getBatchModeImage(id));
			Interpreter.batchMode = false;
		}
		assertNotNull("the command failed (see the log above)", r);
		assertEquals(Measure.DISAGREEMENT, r.measure());
		assertEquals(2, r.heatmaps().size());
		for (ImagePlus h : r.heatmaps()) {
			assertEquals(32, h.getBitDepth());
			assertTrue(h.getTitle(), h.getTitle().equals("vol-a-suggest") || h.getTitle().equals("vol-b-suggest"));
			assertEquals(SyntheticDataset.SHAPE[2], h.getStackSize());
			// Fire: black at 0, a warm colour at 1
			assertEquals(0, h.getProcessor().getLut().getRGB(0) & 0xffffff);
			assertTrue(((h.getProcessor().getLut().getRGB(255) >> 16) & 0xff) > 200);
		}
		assertEquals(3, r.rois().size());
		for (int i = 0; i < 3; i++) {
			Roi roi = r.rois().get(i);
			var s = r.ranking().slices().get(i);
			assertEquals(String.format(java.util.Locale.ROOT, "annotate next: %s z=%d score=%.3f", s.volume().id(), s.slice(), s.score()), roi.getName());
			assertTrue(roi.getName(), roi.getName().matches("annotate next: vol-[ab] z=\\d+ score=0\\.\\d{3}"));
			assertEquals(s.slice(), roi.getPosition());
			assertEquals(SyntheticDataset.SHAPE[0], roi.getBounds().width);
			assertEquals(SyntheticDataset.SHAPE[1], roi.getBounds().height);
		}
		// the files: the ranking as mn suggest writes it, and the heat maps as TIFF
		JsonObject json = Json.read(out.resolve(SuggestWorkflow.RESULTS_FILE)).getAsJsonObject();
		assertEquals(r.ranking().volumes().get(0).id(), json.getAsJsonArray("volumes").get(0).getAsJsonObject().get("id").getAsString());
		assertTrue(Files.exists(out.resolve("vol-a" + SuggestWorkflow.HEATMAP_SUFFIX + ".tif")));
	}

	@Test
	public void thePluginRanksAFolderAndLeavesExistingResultsAlone() throws Exception {
		Path data = SyntheticDataset.write(tmp.newFolder("folder-data").toPath(), 0, 2, 17);
		Path bundle = TinyBundles.write(tmp.getRoot().toPath().resolve("lo.mnmodel"), Partner.NONE, 4, List.of());
		Path out = tmp.getRoot().toPath().resolve("folder-out");
		String options = "model=[" + bundle + "] input=folder folder=[" + data.resolve("unlabeled") + "] top=2 output=[" + out + "]";
		String log = logOf(options);
		// a labeled-only model: uncertainty, said once
		assertTrue(log, log.contains("no 2-D partner"));
		assertTrue(log, log.contains("annotate next: case0"));
		Path results = out.resolve(SuggestWorkflow.RESULTS_FILE);
		assertEquals("uncertainty", Json.read(results).getAsJsonObject().get("measure").getAsString());
		assertTrue(Files.exists(out.resolve("case00" + SuggestWorkflow.HEATMAP_SUFFIX + ".nii.gz")));
		long modified = Files.getLastModifiedTime(results).toMillis();
		String again = logOf(options);
		assertTrue(again, again.contains("M&N Suggest Annotations error:") && again.contains("Overwrite"));
		assertTrue(again, !again.contains("\tat "));
		assertEquals(modified, Files.getLastModifiedTime(results).toMillis());
	}

	private static String logOf(String options) throws InterruptedException {
		PrintStream old = System.out, oldErr = System.err;
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		System.setOut(new PrintStream(buffer, true));
		System.setErr(new PrintStream(buffer, true));
		try {
			FijiCommandsTest.runWithOptions(new SuggestPlugin(), options);
		} finally {
			System.setOut(old);
			System.setErr(oldErr);
		}
		return buffer.toString();
	}
}
