package org.mnseg.fiji;

import static org.mnseg.fiji.CommandParameter.file;
import static org.mnseg.fiji.CommandParameter.flag;
import static org.mnseg.fiji.CommandParameter.text;

import java.util.List;

import org.mnseg.export.ExportSettings;

/**
 * The fields of "M&amp;N Export to BioImage.IO" ({@link #DESCRIPTOR}), declared once for the dialog, the macro keys and
 * the SciJava command, and the core's {@link ExportSettings} they fill (the command line fills the same record).
 */
public final class ExportModelSettings {
	private ExportModelSettings() {}

	/** The dialog's sections. */
	public static final String MODEL = "Model", DESCRIPTION = "Description", OUTPUT = "Output";

	public static final CommandDescriptor DESCRIPTOR = new CommandDescriptor("M&N Export to BioImage.IO",
		"Writes the 3D UNet of a trained model (<tt>.mnmodel</tt>) as a BioImage.IO model (a <tt>.zip</tt>) that bioimageio.core "
			+ "(napari), ilastik and BiaPy can load: <tt>bioimageio.yaml</tt>, PyTorch weights with the network's Python source, test "
			+ "input and output computed by this network, a cover and a README on how the model was trained; the same file as "
			+ "<tt>mn export</tt>. Only the 3D UNet exports so far; see docs/fiji.md for running the model elsewhere.",
		List.of(MODEL, DESCRIPTION, OUTPUT), List.of(
			file(MODEL, "model", "Model", "The .mnmodel file that M&N Co-Train (or 'mn train') saved."),
			file(MODEL, "volume", "Test volume",
				"Optional: a volume like the training images, for the test tensors and the cover; empty: the first labeled case of the "
					+ "data set the model was trained on (where it is still readable)."),
			text(DESCRIPTION, "name", "Name", "", "Optional: the model's name (5 to 128 letters, digits, spaces, _ + - ( )); empty: from the data set."),
			text(DESCRIPTION, "authors", "Authors", "", "Optional: the model's authors, separated by ';' (empty: your user name)."),
			text(DESCRIPTION, "license", "License", ExportSettings.DEFAULT_LICENSE, "An SPDX license identifier for the exported model."),
			CommandParameter.outputFile(OUTPUT, "output", "Output", "The BioImage.IO model to write (a .zip)."),
			flag(OUTPUT, "overwrite", "Overwrite", "Replace the output file if it exists; without it an existing file is left alone.").notRemembered()));

	/** The export the values either face read ask for; blank fields mean the exporter's defaults, missing files are the runner's to name. */
	static ExportSettings from(CommandValues v) {
		String name = v.text("name"), license = v.text("license");
		return new ExportSettings(v.path("model"), v.path("output"), null, v.path("volume"), name.isEmpty() ? null : name,
			ExportSettings.authors(v.text("authors")), license.isEmpty() ? null : license, v.flag("overwrite"));
	}
}
