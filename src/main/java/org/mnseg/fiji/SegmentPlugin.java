package org.mnseg.fiji;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicBoolean;

import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.plugin.PlugIn;

/**
 * "M&amp;N Segment" for ImageJ 1.x menus and macros (registered in {@code plugins.config}). The dialog's fields are
 * recorded by the macro recorder, so {@code run("M&N Segment", "model=... input=[current image] ...")} replays it.
 */
public class SegmentPlugin implements PlugIn {
	static final String COMMAND = "M&N Segment";
	private static final String PREF = "mnseg.segment.";

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

	/**
	 * The remembered value of a field, or {@code def} when a macro passes options: a macro line must mean the same
	 * thing every time, whatever the dialog was last used with.
	 */
	private static String pref(String key, String def) {
		return ij.Macro.getOptions() != null ? def : Prefs.get(PREF + key, def);
	}

	private static boolean pref(String key, boolean def) {
		return ij.Macro.getOptions() != null ? def : Prefs.get(PREF + key, def);
	}

	private static double pref(String key, double def) {
		return ij.Macro.getOptions() != null ? def : Prefs.get(PREF + key, def);
	}

	/** Shows the dialog (or reads the macro options); null when cancelled. */
	SegmentSettings ask() {
		OptionsDialog d = new OptionsDialog(COMMAND);
		lastDialog = d;
		d.addFile("Model", pref("model", ""), "The .mnmodel file that M&N Co-Train (or 'mn train') saved.");
		d.addChoice("Input", SegmentSettings.INPUTS, pref("input", SegmentSettings.CURRENT_IMAGE),
			"'current image': the active image; 'folder': every volume in the folder below.");
		d.addDirectory("Folder", pref("folder", ""), "Only for Input = folder: the images to segment (.tif, .nii.gz, .h5).");
		d.addDirectory("Output", pref("output", ""),
			"Where label files are saved. Required for a folder; optional for the current image.");
		d.addCheckbox("Probability map", pref("probability", false), "Also make the foreground probability (0 to 1) as a 32-bit image.");
		d.addCheckbox("ROIs per class and slice", pref("rois", false), "Also add one ROI per class and slice to the ROI Manager.");
		d.setHelp(Help.SEGMENT);
		if (!d.show()) return null;
		SegmentSettings s = new SegmentSettings(path(d.nextString()), d.nextChoice(), path(d.nextString()), path(d.nextString()), d.nextBoolean(),
			d.nextBoolean());
		Prefs.set(PREF + "model", text(s.model()));
		Prefs.set(PREF + "input", s.input());
		Prefs.set(PREF + "folder", text(s.folder()));
		Prefs.set(PREF + "output", text(s.output()));
		Prefs.set(PREF + "probability", s.probability());
		Prefs.set(PREF + "rois", s.rois());
		return s;
	}

	static Path path(String text) {
		return text == null || text.isBlank() ? null : Paths.get(text.trim());
	}

	static String text(Path p) {
		return p == null ? "" : p.toString();
	}
}
