package org.mnseg.fiji;

/** The HTML behind the dialogs' Help buttons. */
final class Help {
	private Help() {}

	static final String SEGMENT = "<html><h2>M&amp;N Segment</h2>"
		+ "<p>Applies a trained model (a <tt>.mnmodel</tt> file) to the current image or to every volume of a folder.</p>"
		+ "<ul><li><b>Model</b>: the file that M&amp;N Co-Train saved in its output folder (<tt>model.mnmodel</tt>).</li>"
		+ "<li><b>Input</b>: <i>current image</i> opens a label image <tt>&lt;title&gt;-labels</tt> on the same calibration, "
		+ "with a label lookup table; <i>folder</i> writes one label file per volume into the output folder "
		+ "(<tt>&lt;name&gt;.nii.gz</tt>, or <tt>&lt;name&gt;.tif</tt> for TIFF input), exactly as <tt>mn segment</tt> does.</li>"
		+ "<li><b>Output</b>: for the current image, optional: the label image is also saved there as TIFF.</li>"
		+ "<li><b>Probability map</b>: 1 - P(background) per voxel, 32-bit.</li>"
		+ "<li><b>ROIs per class and slice</b>: one ROI per class and slice in the ROI Manager, named after the class, "
		+ "its group the class index.</li></ul>"
		+ "<p>The image must have the channels the model was trained on. Record the command (Plugins &gt; Macros &gt; Record) to "
		+ "repeat it in a macro.</p></html>";

	static final String EXPORT = "<html><h2>M&amp;N Export to BioImage.IO</h2>"
		+ "<p>Writes the 3D UNet of a trained model (<tt>.mnmodel</tt>) as a BioImage.IO model (a <tt>.zip</tt>) that "
		+ "bioimageio.core (napari), ilastik and BiaPy can load: <tt>bioimageio.yaml</tt>, PyTorch weights with the network's "
		+ "Python source, test input and output computed by this network, a cover and a README on how the model was trained. "
		+ "The same as <tt>mn export</tt>.</p>"
		+ "<ul><li><b>Model</b>: the file that M&amp;N Co-Train saved.</li>"
		+ "<li><b>Output</b>: the <tt>.zip</tt> to write; an existing file is only replaced with <b>Overwrite</b> ticked.</li>"
		+ "<li><b>Volume</b>: a volume like the training images, for the test tensors and the cover; empty: the first "
		+ "labeled case of the data set the model was trained on (where that data set is still readable).</li>"
		+ "<li><b>Name</b>, <b>Authors</b> (separated by ;), <b>License</b> (SPDX): what the description states.</li></ul>"
		+ "<p>Only the 3D UNet exports so far; see docs/fiji.md for running the model elsewhere.</p></html>";

	static final String CO_TRAIN = "<html><h2>M&amp;N Co-Train</h2>"
		+ "<p>Trains a segmentation model from a few labeled volumes (and, for co-training methods, unlabeled ones) and saves "
		+ "<tt>model.mnmodel</tt> in the output folder, with <tt>log.csv</tt>, a resumable <tt>checkpoint.mnckpt</tt> and the "
		+ "loss plot <tt>loss-plot.png</tt>.</p>"
		+ "<ul><li><b>Labeled data</b>: <i>open image pairs</i>: the titles of open images and of their label images (class index per "
		+ "pixel, 0 = background), comma separated, in the same order; <i>ROI Manager</i>: the ROIs drawn on the first image named "
		+ "in Images; each ROI's group, or the number or name it is named with, gives its class; every slice with a ROI counts as "
		+ "fully annotated (pixels outside all ROIs are background), slices without ROIs are left out; <i>folder</i>: a data set "
		+ "folder with <tt>images/</tt>, <tt>labels/</tt> (same file names) and optional <tt>unlabeled/</tt>, or a "
		+ "<tt>dataset.json</tt>.</li>"
		+ "<li><b>Unlabeled images</b>: titles of open images without labels (comma separated); <b>Folder of unlabeled</b>: "
		+ "a folder of such volumes. Both are optional.</li>"
		+ "<li><b>Method</b>, <b>Architecture</b>: the training method and the 3-D network, from those this version offers.</li>"
		+ "<li><b>Preset</b>: <i>cpu</i> trains in minutes on a laptop; <i>paper</i> uses the M&amp;N paper's settings "
		+ "(a GPU and hours).</li>"
		+ "<li><b>Epochs</b>: 0 keeps the preset's number.</li>"
		+ "<li><b>Subset</b>: for a folder data set, how many labeled cases to use: <i>all</i> or a number.</li>"
		+ "<li><b>Output</b>: the run folder. <b>Resume</b> continues a cancelled run from its checkpoint.</li>"
		+ "<li><b>Options</b>: any further training setting as <tt>name=value</tt> pairs separated by spaces, e.g. "
		+ "<tt>lr3d=3e-4 patch=48,48,32 zoom=false</tt>; <tt>mn train --help</tt> lists them all.</li></ul>"
		+ "<p>Progress shows in the status bar and in a live plot of the loss; press <b>Cancel training</b> (or Esc) to stop after the "
		+ "current step and keep the checkpoint.</p></html>";
}
