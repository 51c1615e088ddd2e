package org.mnseg.fiji;

import java.util.Map;

import org.mnseg.export.ExportSettings;

import ij.plugin.PlugIn;

/**
 * "M&amp;N Export to BioImage.IO" for ImageJ 1.x menus and macros (registered in {@code plugins.config}); its fields are
 * those of {@link ExportModelSettings#DESCRIPTOR}:
 * {@code run("M&N Export to BioImage.IO", "model=/runs/a/model.mnmodel output=/models/a.zip")}.
 */
public class ExportPlugin implements PlugIn {
	private static final DialogMemory MEMORY = new DialogMemory("mnseg.export.");

	@Override
	public void run(String arg) {
		CommandRun.run(ExportRunner.COMMAND, () -> {
			ExportSettings s = ask();
			if (s != null) ExportRunner.run(s);
		});
	}

	/** Shows the dialog (or reads the macro options); null when cancelled. */
	ExportSettings ask() {
		CommandValues v = new OptionsDialog(ExportModelSettings.DESCRIPTOR, MEMORY, Map.of()).ask();
		return v == null ? null : ExportModelSettings.from(v);
	}
}
