package org.mnseg.fiji;

import ij.Prefs;
import ij.WindowManager;
import ij.plugin.PlugIn;

/**
 * "M&amp;N Co-Train" for ImageJ 1.x menus and macros (registered in {@code plugins.config}). ImageJ runs menu
 * commands off the event thread, so the training below runs in the background while ImageJ stays usable; a macro
 * waits for it, so its next line can segment with the new model.
 */
public class CoTrainPlugin implements PlugIn {
	static final String COMMAND = "M&N Co-Train";
	private static final String PREF = "mnseg.cotrain.";

	/** The dialog of the last run, for screenshots and tests. */
	OptionsDialog lastDialog;

	@Override
	public void run(String arg) {
		try {
			CoTrainSettings s = ask();
			if (s == null) return;
			train(s);
		} catch (Throwable t) {
			Feedback.report(COMMAND, t);
		}
	}

	/** Runs a training with a Cancel window, status-bar progress and the live plot; errors are the caller's. */
	static void train(CoTrainSettings s) {
		if (java.awt.EventQueue.isDispatchThread()) {
			// never block the event thread: a command started from there trains in its own thread
			new Thread(() -> {
				try {
					train(s);
				} catch (Throwable t) {
					Feedback.report(COMMAND, t);
				}
			}, COMMAND).start();
			return;
		}
		try (CancelWindow cancel = new CancelWindow(COMMAND)) {
			CoTrainRunner.run(s, CoTrainSettings.ROIS.equals(s.labeled()) ? CoTrainRunner.roiManagerRois() : null, new TrainingProgress(),
				cancel::isCancelled);
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
	CoTrainSettings ask() {
		OptionsDialog d = new OptionsDialog(COMMAND);
		lastDialog = d;
		String[] open = WindowManager.getImageTitles();
		d.addMessage("Labeled data" + (open.length == 0 ? "" : " (open images: " + shorten(String.join(", ", open)) + ")"));
		d.addChoice("Labeled data", CoTrainSettings.SOURCES, pref("labeled", CoTrainSettings.PAIRS),
			"Open image pairs, ROIs in the ROI Manager, or a data set folder (images/ + labels/).");
		d.addString("Images", pref("images", ""), "Titles of the labeled images, comma separated (for ROIs: the image they are on).");
		d.addString("Labels", pref("labels", ""), "Titles of their label images, same order (0 = background, 1, 2, ... = classes).");
		d.addDirectory("Dataset folder", pref("dataset", ""), "For 'folder': images/ and labels/ (same names), or a dataset.json.");
		d.addString("Unlabeled images", pref("unlabeled", ""), "Optional: titles of open images without labels, comma separated.");
		d.addDirectory("Folder of unlabeled", pref("folder", ""), "Optional: a folder of images without labels.");
		d.addMessage("Training");
		d.addChoice("Method", CoTrainSettings.methods(), pref("method", CoTrainSettings.methods().get(0)),
			"How the networks learn; co-training methods also use the unlabeled images.");
		d.addChoice("Architecture (3D)", CoTrainSettings.architectures(), pref("architecture", CoTrainSettings.architectures().get(0)),
			"The 3-D network trained from scratch.");
		d.addChoice("2D model", CoTrainSettings.models2d(), pref("model2d", CoTrainSettings.models2d().get(0)),
			"The 2-D network pretrained on natural images (M&N, 2d-only, fixed-pseudo).");
		d.addChoice("Fine-tuning", CoTrainSettings.fineTunings(), pref("finetuning", CoTrainSettings.fineTunings().get(0)),
			"How the 2-D network adapts: LoRA adapters (the paper), its decoder only, or the whole network.");
		d.addChoice("Preset", CoTrainSettings.presets(), pref("preset", "cpu"), "cpu: minutes on a laptop; paper: the paper's settings (GPU).");
		d.addNumber("Epochs", pref("epochs", 0), "0 keeps the preset's number of epochs.");
		d.addString("Subset", pref("subset", "all"), "For 'folder': 'all' or how many labeled cases to use.");
		d.addDirectory("Output folder", pref("output", ""), "The run folder: model.mnmodel, log.csv, checkpoint, loss plot.");
		d.addCheckbox("Resume", false, "Continue the cancelled run in the output folder from its checkpoint.");
		d.addString("Options", pref("options", ""), "More settings as name=value, e.g. lr3d=3e-4 patch=48,48,32 (see Help).");
		d.setHelp(Help.CO_TRAIN);
		if (!d.show()) return null;
		CoTrainSettings s = new CoTrainSettings(d.nextChoice(), d.nextString(), d.nextString(), SegmentPlugin.path(d.nextString()), d.nextString(),
			SegmentPlugin.path(d.nextString()), d.nextChoice(), d.nextChoice(), d.nextChoice(), d.nextChoice(), d.nextChoice(), (int) d.nextNumber(), d.nextString(),
			SegmentPlugin.path(d.nextString()), d.nextBoolean(), d.nextString());
		Prefs.set(PREF + "labeled", s.labeled());
		Prefs.set(PREF + "images", s.images());
		Prefs.set(PREF + "labels", s.labels());
		Prefs.set(PREF + "dataset", SegmentPlugin.text(s.dataset()));
		Prefs.set(PREF + "unlabeled", s.unlabeled());
		Prefs.set(PREF + "folder", SegmentPlugin.text(s.unlabeledFolder()));
		Prefs.set(PREF + "method", s.method());
		Prefs.set(PREF + "architecture", s.architecture());
		Prefs.set(PREF + "model2d", s.model2d());
		Prefs.set(PREF + "finetuning", s.finetuning());
		Prefs.set(PREF + "preset", s.preset());
		Prefs.set(PREF + "epochs", s.epochs());
		Prefs.set(PREF + "subset", s.subset());
		Prefs.set(PREF + "output", SegmentPlugin.text(s.output()));
		Prefs.set(PREF + "options", s.options());
		return s;
	}

	private static String shorten(String s) {
		return s.length() > 80 ? s.substring(0, 77) + "..." : s;
	}
}
