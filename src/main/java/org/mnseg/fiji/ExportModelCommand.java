package org.mnseg.fiji;

import org.mnseg.export.ExportSettings;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/**
 * "M&amp;N Export to BioImage.IO" as a SciJava command (Fiji menus, scripts): its inputs are the fields of
 * {@link ExportModelSettings#DESCRIPTOR}, the same keys, labels and defaults as {@link ExportPlugin}'s dialog, and the
 * menu path and title are the plugin's, so Fiji shows one entry. (Named apart from the command line's
 * {@code org.mnseg.cli.ExportCommand}.)
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>M&N>M&N Export to BioImage.IO", headless = true, label = "M&N Export to BioImage.IO")
public class ExportModelCommand extends DescriptorCommand {
	@Override
	protected CommandDescriptor descriptor() {
		return ExportModelSettings.DESCRIPTOR;
	}

	@Override
	public void run() {
		CommandRun.run(ExportRunner.COMMAND, () -> ExportRunner.run(settings()));
	}

	ExportSettings settings() {
		return ExportModelSettings.from(values());
	}
}
