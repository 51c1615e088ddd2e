package org.mnseg.fiji;

import java.io.File;
import java.util.concurrent.atomic.AtomicBoolean;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

/**
 * "M&amp;N Segment" as a SciJava command, for Fiji's menus, scripts ({@code command.run(SegmentCommand, ...)}) and
 * recorded macros. Parameter names are the macro keys of {@link SegmentPlugin}, and the menu path and title are the
 * same, so Fiji shows one menu entry (this command takes over the ImageJ 1.x entry of the same name) and a recorded
 * line replays with either implementation.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>M&N>M&N Segment", headless = true, label = "M&N Segment")
public class SegmentCommand implements Command {
	@Parameter(label = "Image", required = false, description = "The image to segment (input = current image).")
	private ImagePlus image;

	@Parameter(label = "Model", description = "The .mnmodel file that M&N Co-Train (or 'mn train') saved.")
	private File model;

	@Parameter(label = "Input", choices = { SegmentSettings.CURRENT_IMAGE, SegmentSettings.FOLDER },
		description = "'current image': the image above; 'folder': every volume in the folder below.")
	private String input = SegmentSettings.CURRENT_IMAGE;

	@Parameter(label = "Folder", style = "directory", required = false, description = "Only for input = folder: the images to segment.")
	private File folder;

	@Parameter(label = "Output", style = "directory", required = false,
		description = "Where label files are saved. Required for a folder; optional for the current image.")
	private File output;

	@Parameter(label = "Probability map", description = "Also make the foreground probability (0 to 1) as a 32-bit image.")
	private boolean probability;

	@Parameter(label = "ROIs per class and slice", description = "Also add one ROI per class and slice to the ROI Manager.")
	private boolean rois;

	/** Not a SciJava output: Fiji would display it a second time. Scripts read it from the module's delegate. */
	private ImagePlus labels;

	@Override
	public void run() {
		try {
			SegmentSettings s = new SegmentSettings(model == null ? null : model.toPath(), input, folder == null ? null : folder.toPath(),
				output == null ? null : output.toPath(), probability, rois);
			SegmentRunner.Result r = SegmentRunner.run(s, image, new AtomicBoolean());
			labels = r.labels();
			SegmentRunner.show(r);
		} catch (Throwable t) {
			Feedback.report(SegmentPlugin.COMMAND, t);
		}
	}

	/** The label image made for the current image (null for a folder). */
	public ImagePlus labels() {
		return labels;
	}
}
