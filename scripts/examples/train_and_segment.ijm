// M&N in an ImageJ macro: train a model on a data set folder, then segment a folder of images and one open image.
//
// Run it from Fiji (Plugins > Macros > Run...) after editing the paths below, or headless with arguments:
//   ImageJ --headless -batch train_and_segment.ijm "dataset=[/data/set] images=[/data/new] out=[/results]"
// Optional arguments: epochs=N (0: the preset's), subset=all|N, options=[name=value ...] (any training setting),
// single=[file] (the image for the one-image part; default: the first file of images).
//
// Every run(...) line below is what the macro recorder writes for the dialogs (Plugins > Macros > Record...).
// Run in batch, the macro ends ImageJ with exit status 1 when a step fails, so a shell script or job can tell.

args = getArgument();
dataset = argument("dataset", "/path/to/dataset");   // images/ + labels/ (same names), or a dataset.json
images = argument("images", "/path/to/new/images");  // volumes to segment
out = argument("out", "/path/to/results");
epochs = argument("epochs", "0");
subset = argument("subset", "all");
options = argument("options", "");
single = argument("single", "");

setBatchMode(true);
// from here on a failing M&N command ends a batch run with exit status 1 (ImageJ alone would end with 0)
call("org.mnseg.fiji.BatchExit.enable");
runFolder = out + File.separator + "run";
run("M&N Co-Train", "labeled=folder dataset=[" + dataset + "] subset=" + subset + " method=labeled-only architecture=unet3d model2d=deeplabv3plus-mnv2-ade20k finetuning=lora preset=cpu epochs=" + epochs + " output=[" + runFolder + "] options=[" + options + "]");
model = runFolder + File.separator + "model.mnmodel";
if (!File.exists(model)) fail("Training did not produce " + model);

// a whole folder: one label file per image, as 'mn segment' writes them
run("M&N Segment", "model=[" + model + "] input=folder folder=[" + images + "] output=[" + out + File.separator + "labels]");

// one open image: the label image opens as <title>-labels, calibrated like the image. NIfTI files open and save
// through M&N's own commands (File > Import and File > Save As), which keep the file's header, so the saved labels
// lie on the image's grid in ITK-SNAP or 3D Slicer; other files through ImageJ, saved as TIFF.
if (single == "") {
	list = getFileList(images);
	single = images + File.separator + list[0];
}
nifti = endsWith(single, ".nii") || endsWith(single, ".nii.gz");
if (nifti) run("Open NIfTI (M&N)...", "open=[" + single + "]");
else open(single);
if (nImages == 0) fail("Could not open " + single);
run("M&N Segment", "model=[" + model + "] input=[current image] probability");
if (!endsWith(getTitle(), "-labels")) fail("M&N Segment made no label image for " + single);
if (nifti) run("Save as NIfTI (M&N)...", "save=[" + out + File.separator + getTitle() + ".nii.gz]");
else saveAs("Tiff", out + File.separator + getTitle() + ".tif");
print("M&N example done: " + out);

function fail(message) {
	// shows the message and stops the macro; in batch it also ends ImageJ with exit status 1
	call("org.mnseg.fiji.BatchExit.fail", message);
	exit(message);
}

function argument(key, fallback) {
	// ij.Macro.getValue reads "key=value" and "key=[value with spaces]" from the argument string
	return call("ij.Macro.getValue", args, key, fallback);
}
