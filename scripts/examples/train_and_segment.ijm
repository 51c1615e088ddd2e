// M&N in an ImageJ macro: train a model on a data set folder, then segment a folder of images and one open image.
//
// Run it from Fiji (Plugins > Macros > Run...) after editing the paths below, or headless with arguments:
//   ImageJ --headless -batch train_and_segment.ijm "dataset=[/data/set] images=[/data/new] out=[/results]"
// Optional arguments: epochs=N (0: the preset's), subset=all|N, options=[name=value ...] (any training setting),
// single=[file] (the image for the one-image part; default: the first file of images).
//
// Every run(...) line below is what the macro recorder writes for the dialogs (Plugins > Macros > Record...).

args = getArgument();
dataset = argument("dataset", "/path/to/dataset");   // images/ + labels/ (same names), or a dataset.json
images = argument("images", "/path/to/new/images");  // volumes to segment
out = argument("out", "/path/to/results");
epochs = argument("epochs", "0");
subset = argument("subset", "all");
options = argument("options", "");
single = argument("single", "");

setBatchMode(true);
runFolder = out + File.separator + "run";
run("M&N Co-Train", "labeled=folder dataset=[" + dataset + "] subset=" + subset + " method=labeled-only architecture=unet3d model2d=deeplabv3plus-mnv2-ade20k finetuning=lora preset=cpu epochs=" + epochs + " output=[" + runFolder + "] options=[" + options + "]");
model = runFolder + File.separator + "model.mnmodel";
if (!File.exists(model)) exit("Training did not produce " + model);

// a whole folder: one label file per image, as 'mn segment' writes them
run("M&N Segment", "model=[" + model + "] input=folder folder=[" + images + "] output=[" + out + File.separator + "labels]");

// one open image: the label image opens as <title>-labels, calibrated like the image; save it as TIFF
if (single == "") {
	list = getFileList(images);
	single = images + File.separator + list[0];
}
open(single);
run("M&N Segment", "model=[" + model + "] input=[current image] probability");
saveAs("Tiff", out + File.separator + getTitle() + ".tif");
print("M&N example done: " + out);

function argument(key, fallback) {
	// ij.Macro.getValue reads "key=value" and "key=[value with spaces]" from the argument string
	return call("ij.Macro.getValue", args, key, fallback);
}
