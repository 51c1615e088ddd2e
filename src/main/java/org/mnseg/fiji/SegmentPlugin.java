package org.mnseg.fiji;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicBoolean;

import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;

/**
 * "M&amp;N Segment" for ImageJ 1.x menus and macros (registered in {@code plugins.config}). The dialog's fields are
 * recorded by the macro recorder, so {@code run("M&N Segment", "model=... input=[current image] ...")} replays it.
 */
public class SegmentPlugin implements PlugIn {
	static final String COMMAND = "M&N Segment";
	private static final DialogMemory MEMORY = new DialogMemory("mnseg.segment.");

	/** The dialog of the last run, for screenshots and tests. */
	OptionsDialog lastDialog;

	@Override
	public void run(String arg) {
		try {
			SegmentSettings s = ask();
			if (s == null) return;
			ImagePlus image = s.batch() ? null : WindowManager.getCurrentImage();
			SegmentRunner.show(SegmentRunner.run(s, image, new AtomicBoolean()));
		} catch (Throwable t) {
			Feedback.report(COMMAND, t);
		}
	}

	/** Shows the dialog (or reads the macro options); null when cancelled. */
	SegmentSettings ask() {
		OptionsDialog d = new OptionsDialog(COMMAND);
		lastDialog = d;
		d.addFile("Model", MEMORY.get("model", ""), "The .mnmodel file that M&N Co-Train (or 'mn train') saved.");
		d.addChoice("Input", SegmentSettings.INPUTS, MEMORY.get("input", SegmentSettings.CURRENT_IMAGE),
			"'current image': the active image; 'folder': every volume in the folder below.");
		d.addDirectory("Folder", MEMORY.get("folder", ""), "Only for Input = folder: the images to segment (.tif, .nii.gz, .h5).");
		d.addDirectory("Output", MEMORY.get("output", ""),
			"Where label files are saved. Required for a folder; optional for the current image.");
		d.addCheckbox("Probability map", MEMORY.get("probability", false), "Also make the foreground probability (0 to 1) as a 32-bit image.");
		d.addCheckbox("ROIs per class and slice", MEMORY.get("rois", false), "Also add one ROI per class and slice to the ROI Manager.");
		d.setHelp(Help.SEGMENT);
		if (!d.show()) return null;
		SegmentSettings s = new SegmentSettings(path(d.nextString()), d.nextChoice(), path(d.nextString()), path(d.nextString()), d.nextBoolean(),
			d.nextBoolean());
		MEMORY.set("model", text(s.model()));
		MEMORY.set("input", s.input());
		MEMORY.set("folder", text(s.folder()));
		MEMORY.set("output", text(s.output()));
		MEMORY.set("probability", s.probability());
		MEMORY.set("rois", s.rois());
		return s;
	}

	static Path path(String text) {
		return text == null || text.isBlank() ? null : Paths.get(text.trim());
	}

	static String text(Path p) {
		return p == null ? "" : p.toString();
	}
}
