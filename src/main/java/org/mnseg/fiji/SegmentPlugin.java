package org.mnseg.fiji;

import java.nio.file.Path;
import java.util.Map;

import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;

/**
 * "M&amp;N Segment" for ImageJ 1.x menus and macros (registered in {@code plugins.config}); its fields are those of
 * {@link SegmentSettings#DESCRIPTOR}, so {@code run("M&N Segment", "model=... input=[current image] ...")} replays it.
 */
public class SegmentPlugin implements PlugIn {
	static final String COMMAND = SegmentSettings.DESCRIPTOR.title();
	private static final DialogMemory MEMORY = new DialogMemory("mnseg.segment.");

	/** The dialog of the last run, for screenshots and tests. */
	OptionsDialog lastDialog;

	@Override
	public void run(String arg) {
		CommandRun.run(COMMAND, exiting -> {
			SegmentSettings s = ask();
			if (s == null) return;
			ImagePlus image = s.batch() ? null : WindowManager.getCurrentImage();
			SegmentRunner.show(SegmentRunner.run(s, image, exiting));
		});
	}

	/**
	 * Offers a model as the Model of the next Segment dialog (the value the dialog remembers, in ImageJ's
	 * preferences): called when a training has saved it, so that segmenting with it needs no browsing.
	 */
	static void offerModel(Path bundle) {
		MEMORY.set(SegmentSettings.DESCRIPTOR.parameter("model"), bundle.toAbsolutePath().toString());
	}

	/** Shows the dialog (or reads the macro options); null when cancelled. */
	SegmentSettings ask() {
		lastDialog = new OptionsDialog(SegmentSettings.DESCRIPTOR, MEMORY, Map.of());
		CommandValues v = lastDialog.ask();
		return v == null ? null : SegmentSettings.from(v);
	}
}
