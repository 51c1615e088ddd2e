package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.io.VolumeIO;

/**
 * The real dialog on a virtual display, with ImageJ's macro recorder on: the line recorded from a dialog run replays
 * to the same label image, and it names every option. The Co-Train dialog fits a 1366 x 768 screen. The screenshot
 * of the Segment dialog it takes is the one of docs/fiji.md (target/screenshots; copy them to docs/images after a change to the dialogs).
 */
public class RecordedMacroTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void recordedSegmentLineReplaysToTheSameLabels() throws Exception {
		Path fiji = tmp.newFolder("fiji").toPath();
		List<String> cp = new ArrayList<>(ImageJProcess.libraryJars());
		cp.add(ImageJProcess.pluginJar(fiji).toString());
		cp.add(Paths.get("target/test-classes").toAbsolutePath().toString());
		Path image = tmp.getRoot().toPath().resolve("case02.tif");
		VolumeIO.writeImage(VolumeIO.readImage(TinyModel.dataset().resolve("images/case02.nii.gz")), image);
		Path shots = Paths.get("target/screenshots").toAbsolutePath();
		ImageJProcess.Result r = ImageJProcess.run(cp, fiji, null, 150, DialogDriver.class.getName(), image.toString(), TinyModel.bundle().toString(),
			shots.toString());
		String out = r.output();
		assertTrue(out, out.contains("DRIVER DONE"));
		assertTrue(out, out.contains("RECORDED run(\"M&N Segment\", \"model=" + TinyModel.bundle() + " input=[current image]"));
		assertTrue(out, out.contains(" probability"));
		assertTrue(out, out.contains("FIRST case02-labels"));
		assertTrue(out, out.contains("REPLAY_EQUAL true"));
		// the label image opened at the middle slice of its foreground, zoomed in (the small volume opens at 100%)
		java.util.regex.Matcher view = java.util.regex.Pattern.compile("LABELS_VIEW slice (\\d+) of \\d+ expected (\\d+) zoom ([0-9.]+) source zoom ([0-9.]+)")
			.matcher(out);
		assertTrue(out, view.find());
		assertEquals(out, view.group(2), view.group(1));
		assertTrue(out, Double.parseDouble(view.group(3)) > Double.parseDouble(view.group(4)));
		for (String line : out.split("\n"))
			if (line.startsWith("COTRAIN_HEIGHT") || line.contains("RECORDED") || line.startsWith("SHOT")) System.out.println(line);
		assertTrue(Files.size(shots.resolve("segment-dialog.png")) > 3000);
		// Suggest Annotations: the recorded line names the image and the slices asked for, and replays to the same heat map
		assertTrue(out, out.contains("SUGGEST_RECORDED run(\"M&N Suggest Annotations\", \"model=" + TinyModel.bundle()));
		assertTrue(out, out.contains("images=case02.tif") && out.contains("top=3"));
		assertTrue(out, out.contains("SUGGEST_ROIS 3"));
		assertTrue(out, out.contains("SUGGEST_REPLAY_EQUAL true"));
		assertTrue(Files.size(shots.resolve("suggest-dialog.png")) > 3000);
		// the Co-Train dialog fits a 1366 x 768 laptop screen (with room for the task bar), showing every main field
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("COTRAIN_HEIGHT (\\d+) PREFERRED (\\d+) WIDTH (\\d+)").matcher(out);
		assertTrue(out, m.find());
		assertTrue("dialog height " + m.group(1), Integer.parseInt(m.group(1)) <= 700);
		assertTrue("preferred height " + m.group(2), Integer.parseInt(m.group(2)) <= 700);
		assertTrue("dialog width " + m.group(3), Integer.parseInt(m.group(3)) <= 1366);
		assertTrue(out, out.contains("MAIN_LABELS true"));
		assertTrue(out, out.contains("ADVANCED_LABELS true"));
	}
}
