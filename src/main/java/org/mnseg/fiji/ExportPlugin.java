package org.mnseg.fiji;

import org.mnseg.export.ExportSettings;

import ij.plugin.PlugIn;

/**
 * "M&amp;N Export to BioImage.IO" for ImageJ 1.x menus and macros (registered in {@code plugins.config}):
 * {@code run("M&N Export to BioImage.IO", "model=/runs/a/model.mnmodel output=/models/a.zip")}.
 */
public class ExportPlugin implements PlugIn {
	private static final DialogMemory MEMORY = new DialogMemory("mnseg.export.");

	@Override
	public void run(String arg) {
		try {
			OptionsDialog d = new OptionsDialog(ExportRunner.COMMAND);
			d.addFile("Model", MEMORY.get("model", ""), "The .mnmodel file that M&N Co-Train (or 'mn train') saved.");
			d.addFile("Output", MEMORY.get("output", ""), "The BioImage.IO model to write (a .zip).");
			d.addFile("Volume", MEMORY.get("volume", ""),
				"Optional: a volume for the test tensors and the cover; empty: the first labeled case of the training data set.");
			d.addString("Name", MEMORY.get("name", ""), "Optional: the model's name (letters, digits, spaces, _ + - ( )).");
			d.addString("Authors", MEMORY.get("authors", ""), "Optional: the model's authors, separated by ';' (empty: your user name).");
			d.addString("License", MEMORY.get("license", ExportSettings.DEFAULT_LICENSE), "An SPDX license identifier for the exported model.");
			d.addCheckbox("Overwrite", false, "Replace the output file if it exists.");
			d.setHelp(Help.EXPORT);
			if (!d.show()) return;
			String model = d.nextString(), output = d.nextString(), volume = d.nextString(), name = d.nextString(), authors = d.nextString(),
				license = d.nextString();
			boolean overwrite = d.nextBoolean();
			MEMORY.set("model", model);
			MEMORY.set("output", output);
			MEMORY.set("volume", volume);
			MEMORY.set("name", name);
			MEMORY.set("authors", authors);
			MEMORY.set("license", license);
			ExportRunner.run(ExportRunner.settings(model, output, volume, name, authors, license, overwrite));
		} catch (Throwable t) {
			Feedback.report(ExportRunner.COMMAND, t);
		}
	}
}
