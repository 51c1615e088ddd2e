package org.mnseg.fiji;

import java.nio.file.Paths;

import ij.ImagePlus;
import ij.io.OpenDialog;
import ij.plugin.PlugIn;

/**
 * File &gt; Import &gt; "Open NIfTI (M&amp;N)...": opens a {@code .nii}/{@code .nii.gz} file with the core's reader
 * ({@link NiftiImages#open}). From a macro: {@code run("Open NIfTI (M&N)...", "open=[/data/case_01.nii.gz]");}
 * <p>
 * Plain ImageJ 1.x hands files it does not know (File &gt; Open, drag and drop, {@code open()}) to a class named
 * {@code HandleExtraFileTypes}, of which there can be only one: Fiji ships its own, which passes {@code .nii} to
 * Fiji's NIfTI readers. A second one in this plugin would hide Fiji's and break every other format it opens, so
 * NIfTI comes in through this command instead (see docs/fiji.md).
 */
public class NiftiOpenPlugin implements PlugIn {
	public static final String COMMAND = "Open NIfTI (M&N)...";

	@Override
	public void run(String arg) {
		CommandRun.run(COMMAND, () -> {
			// the title's first word is the macro key: open=[path]; a macro or the recorder sees the same key
			OpenDialog dialog = new OpenDialog("Open NIfTI", arg == null || arg.isEmpty() ? null : arg);
			if (dialog.getFileName() == null) return;
			ImagePlus imp = NiftiImages.open(Paths.get(dialog.getPath()));
			imp.show();
		});
	}
}
