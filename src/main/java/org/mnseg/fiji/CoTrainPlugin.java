package org.mnseg.fiji;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

import ij.plugin.PlugIn;

/**
 * "M&amp;N Co-Train" for ImageJ 1.x menus and macros (registered in {@code plugins.config}). ImageJ runs menu
 * commands off the event thread, so the training below runs in the background while ImageJ stays usable; a macro
 * waits for it, so its next line can segment with the new model.
 */
public class CoTrainPlugin implements PlugIn {
	static final String COMMAND = CoTrainSettings.DESCRIPTOR.title();
	private static final DialogMemory MEMORY = new DialogMemory("mnseg.cotrain.");

	/** The dialog of the last run, for screenshots and tests. */
	OptionsDialog lastDialog;

	@Override
	public void run(String arg) {
		CommandRun.run(COMMAND, exiting -> {
			CoTrainSettings s = ask();
			if (s != null) train(s, exiting);
		});
	}

	/**
	 * Runs a training with a Cancel window, status-bar progress and the live plot; errors are the caller's. Returns
	 * the saved model, or null when the training went to a thread of its own (started from the event thread).
	 */
	static Path train(CoTrainSettings s, BooleanSupplier exiting) {
		if (java.awt.EventQueue.isDispatchThread()) {
			// never block the event thread: a command started from there trains in its own thread
			new Thread(() -> CommandRun.run(COMMAND, exitingThere -> train(s, exitingThere)), COMMAND).start();
			return null;
		}
		try (CancelWindow cancel = new CancelWindow(COMMAND)) {
			return CoTrainRunner.run(s, CoTrainSettings.ROIS.equals(s.labeled()) ? CoTrainRunner.roiManagerRois() : null, new TrainingProgress(),
				() -> cancel.isCancelled() || exiting.getAsBoolean()).bundle();
		}
	}

	/** Shows the dialog (or reads the macro options); null when cancelled. */
	CoTrainSettings ask() {
		String[] open = TrainingSetWriter.openImageTitles();
		Map<String, String> notes = open.length == 0 ? Map.of() : Map.of(CoTrainSettings.DATA, "open images: " + shorten(String.join(", ", open)));
		lastDialog = new OptionsDialog(CoTrainSettings.DESCRIPTOR, MEMORY, notes);
		CommandValues v = lastDialog.ask();
		return v == null ? null : CoTrainSettings.from(v);
	}

	private static String shorten(String s) {
		return s.length() > 60 ? s.substring(0, 57) + "..." : s;
	}
}
