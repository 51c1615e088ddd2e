package org.mnseg.fiji;

import java.nio.file.Path;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/**
 * "M&amp;N Co-Train" as a SciJava command: its inputs are the fields of {@link CoTrainSettings#DESCRIPTOR}, the same
 * keys, labels, defaults and choices as {@link CoTrainPlugin}'s dialog and macro options.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>M&N>M&N Co-Train", headless = true, label = "M&N Co-Train")
public class CoTrainCommand extends DescriptorCommand {
	@Override
	protected CommandDescriptor descriptor() {
		return CoTrainSettings.DESCRIPTOR;
	}

	@Override
	public void run() {
		CommandRun.run(CoTrainSettings.DESCRIPTOR.title(), exiting -> {
			Path bundle = CoTrainPlugin.train(settings(), exiting);
			// Fiji shows the SciJava Segment dialog, which remembers its fields apart from ImageJ's preferences
			if (bundle != null) SegmentImageCommand.offerModel(context(), bundle);
		});
	}

	CoTrainSettings settings() {
		return CoTrainSettings.from(values());
	}
}
