package org.mnseg.fiji;

import java.io.File;
import java.nio.file.Path;

import org.scijava.Context;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

/**
 * "M&amp;N Segment" as a SciJava command, for Fiji's menus, scripts and recorded macros: its inputs are the fields of
 * {@link SegmentSettings#DESCRIPTOR} (the same keys, labels and defaults as {@link SegmentPlugin}'s dialog), plus the
 * image to segment, which Fiji fills with the active image. The menu path and title are the plugin's, so Fiji shows
 * one menu entry (this command takes over the ImageJ 1.x entry of the same name) and a recorded line replays with
 * either. (Named apart from the command line's {@code org.mnseg.cli.SegmentCommand}.)
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>M&N>M&N Segment", headless = true, label = "M&N Segment")
public class SegmentImageCommand extends DescriptorCommand {
	/** Only SciJava needs it as an input; the ImageJ 1.x plugin takes the current image. */
	@Parameter(label = "Image", required = false, description = "The image to segment (input = current image).")
	private ImagePlus image;

	/** Not a SciJava output: Fiji would display it a second time. Scripts read it from the module's delegate. */
	private ImagePlus labels;

	@Override
	protected CommandDescriptor descriptor() {
		return SegmentSettings.DESCRIPTOR;
	}

	@Override
	public void run() {
		CommandRun.run(SegmentSettings.DESCRIPTOR.title(), exiting -> {
			SegmentRunner.Result r = SegmentRunner.run(SegmentSettings.from(values()), image, exiting);
			labels = r.labels();
			SegmentRunner.show(r);
		});
	}

	/**
	 * Offers a model as the Model of this command's next dialog in Fiji (SciJava's remembered value of the input,
	 * which Fiji's dialog shows); {@link SegmentPlugin#offerModel} does the same for the ImageJ 1.x dialog.
	 */
	static void offerModel(Context context, Path bundle) {
		SegmentImageCommand command = new SegmentImageCommand();
		context.inject(command);
		@SuppressWarnings("unchecked")
		ModuleItem<File> model = (ModuleItem<File>) command.getInfo().getInput("model");
		context.service(ModuleService.class).save(model, bundle.toAbsolutePath().toFile());
	}

	/** The label image made for the current image (null for a folder). */
	public ImagePlus labels() {
		return labels;
	}
}
