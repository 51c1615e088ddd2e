package org.mnseg.fiji;

import java.io.File;

import org.mnseg.export.ExportSettings;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "M&amp;N Export to BioImage.IO" as a SciJava command (Fiji menus, scripts). Parameter names are the macro keys of
 * {@link ExportPlugin}, and the menu path and title are the same, so Fiji shows one entry.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>M&N>M&N Export to BioImage.IO", headless = true, label = "M&N Export to BioImage.IO")
public class ExportCommand implements Command {
	@Parameter(label = "Model", description = "The .mnmodel file that M&N Co-Train (or 'mn train') saved.")
	private File model;

	@Parameter(label = "Output", style = "save", description = "The BioImage.IO model to write (a .zip).")
	private File output;

	@Parameter(label = "Volume", required = false,
		description = "Optional: a volume for the test tensors and the cover; empty: the first labeled case of the training data set.")
	private File volume;

	@Parameter(label = "Name", required = false, description = "Optional: the model's name (letters, digits, spaces, _ + - ( )).")
	private String name = "";

	@Parameter(label = "Authors", required = false, description = "Optional: the model's authors, separated by ';' (empty: your user name).")
	private String authors = "";

	@Parameter(label = "License", description = "An SPDX license identifier for the exported model.")
	private String license = ExportSettings.DEFAULT_LICENSE;

	@Parameter(label = "Overwrite", description = "Replace the output file if it exists.")
	private boolean overwrite;

	@Override
	public void run() {
		try {
			ExportRunner.run(ExportRunner.settings(text(model), text(output), text(volume), name, authors, license, overwrite));
		} catch (Throwable t) {
			Feedback.report(ExportRunner.COMMAND, t);
		}
	}

	private static String text(File f) {
		return f == null ? null : f.getPath();
	}
}
