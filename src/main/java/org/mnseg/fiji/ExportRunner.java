package org.mnseg.fiji;

import org.mnseg.export.ExportSettings;
import org.mnseg.util.UserError;
import org.mnseg.workflow.ExportWorkflow;

/** "M&amp;N Export to BioImage.IO" without its dialog, shared by the ImageJ 1.x plugin and the SciJava command: the core exporter, then a log line. */
final class ExportRunner {
	static final String COMMAND = ExportModelSettings.DESCRIPTOR.title();

	private ExportRunner() {}

	/** Names the field to fill before any work; the exporter checks everything else. */
	static void validate(ExportSettings s) {
		if (s.bundle() == null) throw new UserError("Choose the model (.mnmodel) to export.");
		if (s.out() == null) throw new UserError("Choose the output file (a .zip) for the BioImage.IO model.");
	}

	/** Exports; returns the line that says what was written (also in the Log). */
	static String run(ExportSettings s) {
		validate(s);
		Feedback.status(COMMAND + ": exporting " + s.bundle().getFileName() + "...");
		String written = ExportWorkflow.run(s);
		Feedback.log(COMMAND + ": " + written);
		Feedback.status(COMMAND + ": wrote " + s.out().getFileName());
		return written;
	}
}
