package org.mnseg.fiji;

import java.nio.file.Paths;

import org.mnseg.util.UserError;

import ij.ImagePlus;
import ij.WindowManager;
import ij.io.SaveDialog;
import ij.plugin.PlugIn;

/**
 * File &gt; Save As &gt; "Save as NIfTI (M&amp;N)...": saves the current image with the core's writer
 * ({@link NiftiImages#save}): a label image as uint8 on the grid and orientation of the NIfTI image it was computed
 * from, so that it opens aligned with that image in ITK-SNAP or 3D Slicer. From a macro:
 * {@code run("Save as NIfTI (M&N)...", "save=[/results/case_01-labels.nii.gz]");}
 */
public class NiftiSavePlugin implements PlugIn {
	public static final String COMMAND = "Save as NIfTI (M&N)...";

	@Override
	public void run(String arg) {
		CommandRun.run(COMMAND, () -> {
			ImagePlus imp = WindowManager.getCurrentImage();
			if (imp == null) throw new UserError("There is no open image to save. Open or select the image to save as NIfTI.");
			// the title's first word is the macro key: save=[path]
			SaveDialog dialog = new SaveDialog("Save as NIfTI", LabelImages.baseTitle(imp.getTitle()), ".nii.gz");
			if (dialog.getFileName() == null) return;
			NiftiImages.Saved saved = NiftiImages.save(imp, Paths.get(dialog.getDirectory(), dialog.getFileName()));
			Feedback.log(COMMAND.replace("...", "") + ": wrote " + saved.file() + (saved.labels() ? " (labels, uint8)" : " (float32)")
				+ (saved.keptHeader() ? " with the header of the NIfTI image it came from" : " with a plain header (spacing only: the image did not come from a NIfTI file of this size)"));
		});
	}
}
