package org.mnseg.fiji;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

import org.mnseg.export.BioImageIoExporter;
import org.mnseg.export.ExportSettings;
import org.mnseg.util.UserError;

/** "M&amp;N Export to BioImage.IO", shared by the ImageJ 1.x plugin and the SciJava command: the core exporter, then a log line. */
final class ExportRunner {
	static final String COMMAND = "M&N Export to BioImage.IO";

	private ExportRunner() {}

	/** Settings from the dialog's fields (text as typed; blanks mean "default"). */
	static ExportSettings settings(String model, String output, String volume, String name, String authors, String license, boolean overwrite) {
		if (model == null || model.isBlank()) throw new UserError("Choose the model (.mnmodel) to export.");
		if (output == null || output.isBlank()) throw new UserError("Choose the output file (a .zip) for the BioImage.IO model.");
		List<String> authorList = authors == null ? List.of() : Arrays.stream(authors.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
		return new ExportSettings(path(model), path(output), null, volume == null || volume.isBlank() ? null : path(volume), blankToNull(name),
			authorList, blankToNull(license), overwrite);
	}

	static BioImageIoExporter.Result run(ExportSettings s) {
		Feedback.status(COMMAND + ": exporting " + s.bundle().getFileName() + "...");
		BioImageIoExporter.Result r = BioImageIoExporter.export(s);
		Feedback.log(COMMAND + ": wrote " + r.file() + " (model '" + r.name() + "', test tile " + r.tileSize()[0] + " x " + r.tileSize()[1] + " x "
			+ r.tileSize()[2] + " from " + r.testVolume().getFileName() + ")");
		Feedback.status(COMMAND + ": wrote " + r.file().getFileName());
		return r;
	}

	private static Path path(String text) {
		return Paths.get(text.trim());
	}

	private static String blankToNull(String s) {
		return s == null || s.isBlank() ? null : s.trim();
	}
}
