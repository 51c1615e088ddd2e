package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.io.VolumeIO;
import org.mnseg.util.UserError;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.macro.Interpreter;

/** ROIs a researcher draws in the ROI Manager, found by the GUI test (issue 15): default names, and several images. */
public class RoiAnnotationTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** A ROI on {@code image}'s slice {@code z}, as the ROI Manager keeps it (the image it was drawn on, its slice). */
	private static Roi roi(ImagePlus image, int x, int y, int z, String name) {
		Roi r = new Roi(x, y, 2, 2);
		r.setImage(image);
		r.setPosition(z);
		r.setName(name);
		return r;
	}

	@Test
	public void segmentationRoisLogNothingWithoutFijisLookupTablesAndTakeTheLabelColours() {
		// plain ImageJ: no luts/glasbey.lut, where ImageJ takes group colours from (this test's ImageJ has none either)
		byte[] l = new byte[6 * 5 * 2];
		l[0] = 1;
		l[6 * 5 + 7] = 2;
		java.io.PrintStream out = System.out;
		java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
		List<Roi> rois;
		System.setOut(new java.io.PrintStream(log, true));
		try {
			rois = ClassRois.toRois(LabelVolume.wrap(l, new int[] { 6, 5, 2 }, Geometry.unit()), List.of("bg", "a", "b"));
		} finally {
			System.setOut(out);
		}
		assertTrue(log.toString(), !log.toString().contains("LUT not found"));
		assertEquals(2, rois.size());
		for (Roi roi : rois)
			assertEquals(roi.getName(), LabelImages.labelLut().getRGB(roi.getGroup()) & 0xffffff, roi.getStrokeColor().getRGB() & 0xffffff);
	}

	@Test
	public void theRoiManagersOwnNamesAreNotTakenForClasses() {
		// "0003-0010-0012" (slice 3, y 10, x 12) once gave class 3: the slice, silently
		for (String name : new String[] { "0003-0010-0012", "0010-0012", "0003-0010-0012-1" }) {
			Roi r = new Roi(0, 0, 2, 2);
			r.setName(name);
			r.setPosition(1);
			try {
				ClassRois.toLabels(new Roi[] { r }, new int[] { 4, 4, 3 }, new Geometry(new double[] { 1, 1, 1 }, null), "stack");
				fail(name + " was taken for a class");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("'" + name + "' has the name the ROI Manager gave it"));
			}
		}
		// names the user gives still work, numbers included
		Roi named = new Roi(0, 0, 2, 2);
		named.setName("2 posterior");
		named.setPosition(1);
		assertEquals(2, ClassRois.toLabels(new Roi[] { named }, new int[] { 4, 4, 1 }, new Geometry(new double[] { 1, 1, 1 }, null), "one")
			.labels().data()[0]);
	}

	@Test
	public void roisOnTwoImagesBecomeTwoCasesWithTheSameClassNumbers() throws Exception {
		ImagePlus a = IJ.createImage("a.tif", "32-bit ramp", 8, 6, 4), b = IJ.createImage("b.tif", "32-bit ramp", 8, 6, 5);
		// b names its classes in the opposite order: "anterior" must still be class 1 there
		Roi[] rois = { roi(a, 0, 0, 2, "anterior"), roi(a, 4, 2, 2, "posterior"), roi(b, 4, 2, 3, "posterior"), roi(b, 0, 0, 4, "anterior") };
		Path run = tmp.getRoot().toPath();
		Interpreter.batchMode = true;
		Interpreter.addBatchModeImage(a);
		Interpreter.addBatchModeImage(b);
		try {
			TrainingSetWriter w = new TrainingSetWriter(run);
			w.addRois("a.tif, b.tif", rois);
			LabelVolume la = VolumeIO.readLabels(w.root().resolve("labels/case_001_a.nii.gz"));
			LabelVolume lb = VolumeIO.readLabels(w.root().resolve("labels/case_002_b.nii.gz"));
			assertEquals("a: one annotated slice", 1, la.shape()[2]);
			assertEquals("b: two annotated slices", 2, lb.shape()[2]);
			assertEquals(1, la.data()[0]);
			assertEquals(2, la.data()[2 * 8 + 4]);
			assertEquals("b's slice 3: posterior", 2, lb.data()[2 * 8 + 4]);
			assertEquals("b's slice 4: anterior", 1, lb.data()[48]);
			assertEquals("only the annotated slice of a", 1, VolumeIO.readImage(w.root().resolve("images/case_001_a.nii.gz")).shape()[2]);

			// a ROI of an image that is not named (or whose image the ROI Manager forgot) is refused, naming it
			ImagePlus other = IJ.createImage("other.tif", "8-bit black", 8, 6, 4);
			Roi stray = roi(other, 0, 0, 1, "anterior");
			try {
				new TrainingSetWriter(tmp.newFolder().toPath()).addRois("a.tif, b.tif", new Roi[] { rois[0], stray });
				fail("a ROI of another image was accepted");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("was not drawn on any of the images named in 'Images' (a.tif, b.tif)"));
			}
		} finally {
			List.of(a, b).forEach(Interpreter::removeBatchModeImage);
			Interpreter.batchMode = false;
		}
	}
}
