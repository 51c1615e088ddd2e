package org.mnseg.fiji;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/**
 * "M&amp;N Suggest Annotations" as a SciJava command (Fiji menus, scripts): its inputs are the fields of
 * {@link SuggestSettings#DESCRIPTOR}, the same keys, labels and defaults as {@link SuggestPlugin}'s dialog, and the
 * menu path and title are the plugin's, so Fiji shows one entry.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>M&N>M&N Suggest Annotations", headless = true, label = "M&N Suggest Annotations")
public class SuggestAnnotationsCommand extends DescriptorCommand {
	/** Not a SciJava output (Fiji would display the images a second time); scripts read it from the module's delegate. */
	private SuggestRunner.Result result;

	@Override
	protected CommandDescriptor descriptor() {
		return SuggestSettings.DESCRIPTOR;
	}

	@Override
	public void run() {
		CommandRun.run(SuggestRunner.COMMAND, exiting -> {
			result = SuggestRunner.run(SuggestSettings.from(values()), exiting);
			SuggestRunner.show(result);
		});
	}

	/** The heat maps, ROIs and ranking of the last run (null before it, or when it failed). */
	public SuggestRunner.Result result() {
		return result;
	}
}
