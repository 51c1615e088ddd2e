package org.mnseg.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.mnseg.export.BioImageIoExporter;
import org.mnseg.export.ExportSettings;
import org.mnseg.workflow.ExportWorkflow;

/** {@code mn export}: a model bundle's 3D UNet as a BioImage.IO model (zip) for napari, ilastik, BiaPy and friends. */
final class ExportCommand {
	private ExportCommand() {}

	static final String HELP = String.join("\n",
		"usage: mn export --model BUNDLE --out MODEL.zip [options]",
		"",
		"Writes the bundle's 3D UNet as a BioImage.IO model (format " + BioImageIoExporter.FORMAT_VERSION + "): bioimageio.yaml, PyTorch",
		"state-dict weights with the UNet's Python source, test tensors computed by this network, a cover and a README.",
		"",
		"  --model BUNDLE      a .mnmodel file written by mn train or M&N Co-Train",
		"  --out MODEL.zip     the BioImage.IO model to write",
		"  --role 3d|2d        which network of the bundle (default: the bundle's default, 3d); only the 3D UNet exports so far",
		"  --volume FILE       the volume for the test tensors and the cover (default: the first labeled case of the",
		"                      data set the model was trained on, where that data set is readable)",
		"  --name NAME         the model's name (default: from the data set); letters, digits, spaces, _ + - ( )",
		"  --authors \"A; B\"    the model's authors, separated by ';' (default: your user name)",
		"  --license SPDX      license of the exported model (default " + ExportSettings.DEFAULT_LICENSE + ")",
		"  --overwrite         replace MODEL.zip if it exists");

	static int run(List<String> argv, PrintStream out) {
		if (argv.contains("--help")) {
			out.println(HELP);
			return 0;
		}
		Args a = new Args("export", argv, Set.of("overwrite"));
		Path model = a.path("model", "the .mnmodel bundle");
		Path file = a.path("out", "the BioImage.IO .zip to write");
		String role = a.get("role", null);
		String volume = a.get("volume", null);
		String name = a.get("name", null);
		String authors = a.get("authors", null);
		String license = a.get("license", ExportSettings.DEFAULT_LICENSE);
		boolean overwrite = a.flag("overwrite");
		a.get("threads", null);
		a.checkAllUsed();
		out.println(ExportWorkflow.run(new ExportSettings(model, file, role, volume == null ? null : Path.of(volume), name,
			ExportSettings.authors(authors), license, overwrite)));
		return 0;
	}
}
