package org.mnseg.fiji;

import ij.WindowManager;
import ij.plugin.PlugIn;

/**
 * "M&amp;N Co-Train" for ImageJ 1.x menus and macros (registered in {@code plugins.config}). ImageJ runs menu
 * commands off the event thread, so the training below runs in the background while ImageJ stays usable; a macro
 * waits for it, so its next line can segment with the new model.
 */
public class CoTrainPlugin implements PlugIn {
	static final String COMMAND = "M&N Co-Train";
	private static final DialogMemory MEMORY = new DialogMemory("mnseg.cotrain.");

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

	/** Shows the dialog (or reads the macro options); null when cancelled. */
	CoTrainSettings ask() {
		OptionsDialog d = new OptionsDialog(COMMAND);
		lastDialog = d;
		String[] open = WindowManager.getImageTitles();
		d.addMessage("Labeled data" + (open.length == 0 ? "" : " (open images: " + shorten(String.join(", ", open)) + ")"));
		d.addChoice("Labeled data", CoTrainSettings.SOURCES, MEMORY.get("labeled", CoTrainSettings.PAIRS),
			"Open image pairs, ROIs in the ROI Manager, or a data set folder (images/ + labels/).");
		d.addString("Images", MEMORY.get("images", ""), "Titles of the labeled images, comma separated (for ROIs: the image they are on).");
		d.addString("Labels", MEMORY.get("labels", ""), "Titles of their label images, same order (0 = background, 1, 2, ... = classes).");
		d.addDirectory("Dataset folder", MEMORY.get("dataset", ""), "For 'folder': images/ and labels/ (same names), or a dataset.json.");
		d.addString("Unlabeled images", MEMORY.get("unlabeled", ""), "Optional: titles of open images without labels, comma separated.");
		d.addDirectory("Folder of unlabeled", MEMORY.get("folder", ""), "Optional: a folder of images without labels.");
		d.addMessage("Training");
		d.addChoice("Method", CoTrainSettings.methods(), MEMORY.get("method", CoTrainSettings.methods().get(0)),
			"How the networks learn; co-training methods also use the unlabeled images.");
		d.addChoice("Architecture (3D)", CoTrainSettings.architectures(), MEMORY.get("architecture", CoTrainSettings.architectures().get(0)),
			"The 3-D network trained from scratch.");
		d.addChoice("2D model", CoTrainSettings.models2d(), MEMORY.get("model2d", CoTrainSettings.models2d().get(0)),
			"The 2-D network pretrained on natural images (M&N, 2d-only, fixed-pseudo).");
		d.addChoice("Fine-tuning", CoTrainSettings.fineTunings(), MEMORY.get("finetuning", CoTrainSettings.fineTunings().get(0)),
			"How the 2-D network adapts: LoRA adapters (the paper), its decoder only, or the whole network.");
		d.addChoice("Preset", CoTrainSettings.presets(), MEMORY.get("preset", "cpu"), "cpu: minutes on a laptop; paper: the paper's settings (GPU).");
		d.addNumber("Epochs", MEMORY.get("epochs", 0), "0 keeps the preset's number of epochs.");
		d.addString("Subset", MEMORY.get("subset", "all"), "For 'folder': 'all' or how many labeled cases to use.");
		d.addDirectory("Output folder", MEMORY.get("output", ""), "The run folder: model.mnmodel, log.csv, checkpoint, loss plot.");
		d.addCheckbox("Resume", false, "Continue the cancelled run in the output folder from its checkpoint.");
		d.addString("Options", MEMORY.get("options", ""), "More settings as name=value, e.g. lr3d=3e-4 patch=48,48,32 (see Help).");
		d.setHelp(Help.CO_TRAIN);
		if (!d.show()) return null;
		CoTrainSettings s = new CoTrainSettings(d.nextChoice(), d.nextString(), d.nextString(), SegmentPlugin.path(d.nextString()), d.nextString(),
			SegmentPlugin.path(d.nextString()), d.nextChoice(), d.nextChoice(), d.nextChoice(), d.nextChoice(), d.nextChoice(), (int) d.nextNumber(), d.nextString(),
			SegmentPlugin.path(d.nextString()), d.nextBoolean(), d.nextString());
		MEMORY.set("labeled", s.labeled());
		MEMORY.set("images", s.images());
		MEMORY.set("labels", s.labels());
		MEMORY.set("dataset", SegmentPlugin.text(s.dataset()));
		MEMORY.set("unlabeled", s.unlabeled());
		MEMORY.set("folder", SegmentPlugin.text(s.unlabeledFolder()));
		MEMORY.set("method", s.method());
		MEMORY.set("architecture", s.architecture());
		MEMORY.set("model2d", s.model2d());
		MEMORY.set("finetuning", s.finetuning());
		MEMORY.set("preset", s.preset());
		MEMORY.set("epochs", s.epochs());
		MEMORY.set("subset", s.subset());
		MEMORY.set("output", SegmentPlugin.text(s.output()));
		MEMORY.set("options", s.options());
		return s;
	}

	private static String shorten(String s) {
		return s.length() > 80 ? s.substring(0, 77) + "..." : s;
	}
}
