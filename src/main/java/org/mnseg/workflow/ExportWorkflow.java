package org.mnseg.workflow;

import org.mnseg.export.BioImageIoExporter;
import org.mnseg.export.ExportSettings;

/** A trained model written as a BioImage.IO model, as {@code mn export} and Fiji's "M&amp;N Export to BioImage.IO" run it. */
public final class ExportWorkflow {
	private ExportWorkflow() {}

	/** Exports the bundle as {@link BioImageIoExporter} does; returns the line that tells the user what was written. */
	public static String run(ExportSettings s) {
		Engine.prepare();
		BioImageIoExporter.Result r = BioImageIoExporter.export(s);
		int[] t = r.tileSize();
		return "wrote " + r.file() + " (BioImage.IO model '" + r.name() + "'; test tile " + t[0] + " x " + t[1] + " x " + t[2] + " (x, y, z) from "
			+ r.testVolume().getFileName() + ")";
	}
}
