package org.mnseg.fiji;

import org.mnseg.export.BioImageIoExporter;
import org.mnseg.export.ExportSettings;
import org.mnseg.util.UserError;

/** "M&amp;N Export to BioImage.IO" without its dialog, shared by the ImageJ 1.x plugin and the SciJava command: the core exporter, then a log line. */
final class ExportRunner {
	static final String COMMAND = ExportModelSettings.DESCRIPTOR.title();

	private ExportRunner() {}

	/** Names the field to fill before any work; the exporter checks everything else. */
	static void validate(ExportSettings s) {
		if (s.bundle() == null) throw new UserError("Choose the model (.mnmodel) to export.");
		if (s.out() == null) throw new UserError("Choose the output file (a .zip) for the BioImage.IO model.");
	}

	static BioImageIoExporter.Result run(ExportSettings s) {
		validate(s);
		Feedback.status(COMMAND + ": exporting " + s.bundle().getFileName() + "...");
		BioImageIoExporter.Result r = BioImageIoExporter.export(s);
		Feedback.log(COMMAND + ": wrote " + r.file() + " (model '" + r.name() + "', test tile " + r.tileSize()[0] + " x " + r.tileSize()[1] + " x "
			+ r.tileSize()[2] + " from " + r.testVolume().getFileName() + ")");
		Feedback.status(COMMAND + ": wrote " + r.file().getFileName());
		return r;
	}
}
