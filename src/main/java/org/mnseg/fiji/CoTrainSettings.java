package org.mnseg.fiji;

import static org.mnseg.fiji.CommandParameter.choice;
import static org.mnseg.fiji.CommandParameter.file;
import static org.mnseg.fiji.CommandParameter.flag;
import static org.mnseg.fiji.CommandParameter.folder;
import static org.mnseg.fiji.CommandParameter.integer;
import static org.mnseg.fiji.CommandParameter.text;

import java.nio.file.Path;
import java.util.List;

import org.mnseg.workflow.TrainOptions;

/**
 * What "M&amp;N Co-Train" is asked to do, and its fields ({@link #DESCRIPTOR}), declared once for the dialog, the
 * macro keys and the SciJava command.
 *
 * @param labeled where labeled data comes from: {@link #PAIRS}, {@link #ROIS} or {@link #FOLDER}
 * @param images titles of open images, comma separated (pairs; for ROIs: the images they are drawn on)
 * @param labels titles of their label images, same order (pairs)
 * @param dataset a data set folder or dataset.json (labeled = folder)
 * @param unlabeled titles of open unlabeled images, comma separated (may be empty)
 * @param unlabeledFolder a folder of unlabeled volumes (may be null)
 * @param epochs 0 keeps the preset's
 * @param subset "all" or the number of labeled cases of a folder data set
 * @param options further training options, {@code name=value} separated by spaces
 * @param weights2d the pretrained weights file the 2-D network starts from (null: the cache or a download)
 * @param sliceZoom how many times slices are enlarged before a 2-D network that can zoom them (1: not at all)
 * @param overwrite a new run replaces the earlier run in the output folder (its checkpoint, results and data)
 * @param evaluate segment and score the data set's test split after training, when it has one
 */
public record CoTrainSettings(String labeled, String images, String labels, Path dataset, String unlabeled, Path unlabeledFolder,
	String method, String architecture, String model2d, String finetuning, String preset, int epochs, String subset, Path output, boolean resume, String options,
	Path weights2d, int sliceZoom, boolean overwrite, boolean evaluate) {

	/**
	 * Settings that replace no earlier run, evaluate on a test split where there is one (the dialog's defaults there)
	 * and give the 2-D network slices at their own size.
	 */
	public CoTrainSettings(String labeled, String images, String labels, Path dataset, String unlabeled, Path unlabeledFolder, String method,
		String architecture, String model2d, String finetuning, String preset, int epochs, String subset, Path output, boolean resume, String options,
		Path weights2d) {
		this(labeled, images, labels, dataset, unlabeled, unlabeledFolder, method, architecture, model2d, finetuning, preset, epochs, subset, output, resume,
			options, weights2d, 1, false, true);
	}

	public static final String PAIRS = "open image pairs", ROIS = "ROI Manager", FOLDER = "folder";
	public static final List<String> SOURCES = List.of(PAIRS, ROIS, FOLDER);

	/** The 2-D partner and slice zoom of the recommended M&N (the README's main job). */
	static final String RECOMMENDED_2D = "mnv2-imagenet-unet";
	static final int RECOMMENDED_SLICE_ZOOM = 2;

	/** The dialog's sections. */
	public static final String DATA = "Data", MODEL = "Model", TRAINING = "Training", OUTPUT = "Output";

	/** Every field: macro key, label, default, choices (the core's lists, so new methods appear by themselves). */
	public static final CommandDescriptor DESCRIPTOR = new CommandDescriptor("M&N Co-Train",
		"Trains a segmentation model from a few labeled volumes (and, for co-training methods, unlabeled ones) and saves "
			+ "<tt>model.mnmodel</tt> in the output folder, with <tt>log.csv</tt>, a resumable <tt>checkpoint.mnckpt</tt> and the loss plot "
			+ "<tt>loss-plot.png</tt>. <b>ROIs as labels</b>: each ROI's group, or the number or name it is named with, gives its class; every "
			+ "slice with a ROI counts as fully annotated (pixels outside all ROIs are background), slices without ROIs are left out. "
			+ "Progress shows in the status bar and a live plot of the loss; <b>Cancel training</b> (or Esc) stops after the current step "
			+ "and keeps the checkpoint of the last finished epoch for <b>Resume</b>.",
		List.of(DATA, MODEL, TRAINING, OUTPUT), List.of(
			choice(DATA, "labeled", "Labeled data", () -> SOURCES, PAIRS,
				"Open image pairs, ROIs in the ROI Manager, or a data set folder (images/ + labels/ with the same file names)."),
			text(DATA, "images", "Images", "",
				"Titles of the open labeled images, comma separated (for ROIs: the images they are drawn on; empty: the current image)."),
			text(DATA, "labels", "Labels", "", "Titles of their label images, same order (0 = background, 1, 2, ... = classes)."),
			folder(DATA, "dataset", "Dataset folder", "For 'folder': images/ and labels/ (same names) and optional unlabeled/, or a dataset.json."),
			text(DATA, "subset", "Subset", "all", "For 'folder': 'all' or how many labeled cases to use."),
			text(DATA, "unlabeled", "Unlabeled images", "", "Optional: titles of open images without labels, comma separated."),
			folder(DATA, "folder", "Folder of unlabeled", "Optional: a folder of images without labels."),
			choice(MODEL, "method", "Method", TrainOptions::methods, null,
				"How the networks learn; mn and fixed-pseudo also learn from the unlabeled images; mn-control is mn without them (its control)."),
			// the defaults are the README's recommended M&N: the configuration that won on held-out training volumes
			// (results/validation.md: the ImageNet-encoder UNet with LoRA and slices zoomed twice)
			choice(MODEL, "model2d", "2D model", TrainOptions::architectures2d, RECOMMENDED_2D,
				"The 2-D network pretrained on natural images (mn, 2d-only, fixed-pseudo).").alias("2d"),
			choice(MODEL, "finetuning", "Fine-tuning", TrainOptions::fineTunings, "lora",
				"How the 2-D network adapts: LoRA adapters (the paper's; level with the whole network in M&N on validation), the whole network or "
					+ "its decoder only.")
				.alias("fine-tuning"),
			file(MODEL, "weights2d", "2-D weights file",
				"Optional: the 2-D model's pretrained weights (a Hugging Face model.safetensors for SegFormer, the .tflite for the others) when this "
					+ "computer cannot download them; empty: the cache folder, else a download checked by its SHA-256."),
			integer(MODEL, "slicezoom", "Slice zoom (2D)", RECOMMENDED_SLICE_ZOOM,
				"Slices are enlarged this many times before the 2-D network, so that small patches survive its encoder's downsampling "
					+ "(1: not enlarged). Applies to the MobileNetV2 networks; costs about its square in 2-D time.").asAdvanced(),
			choice(MODEL, "architecture", "Architecture (3D)", TrainOptions::architectures3d, null, "The 3-D network trained from scratch.").asAdvanced(),
			choice(TRAINING, "preset", "Preset", TrainOptions::presets, "cpu", "cpu: minutes on a laptop; paper: the paper's settings (for a GPU)."),
			integer(TRAINING, "epochs", "Epochs", 0, "0 keeps the preset's number of epochs."),
			text(TRAINING, "options", "Options", "",
				"Any further training setting as name=value pairs, e.g. lr3d=3e-4 patch=48,48,32 zoom=false (listed at the end of this Help).").asAdvanced(),
			folder(OUTPUT, "output", "Output folder", "The run folder: model.mnmodel, log.csv, checkpoint, loss plot."),
			flag(OUTPUT, "resume", "Resume", "Continue the cancelled run in the output folder from its checkpoint.").notRemembered(),
			flag(OUTPUT, "overwrite", "Overwrite", "Train a new run in an output folder that holds an earlier run: its model, logs, checkpoint and "
				+ "training data are deleted first.").notRemembered(),
			// a flag is off by default (macros switch flags on by naming them), so the box skips: evaluating stays the default
			flag(TRAINING, "skipevaluation", "Skip test evaluation", "Data sets with a test split (test/ or a dataset.json's) are segmented and "
				+ "scored after training (metrics.json); tick to save that time.").asAdvanced()),
		optionsHelp());

	/** The Help page's list of what the Options field takes: every training setting, its meaning and the presets' values. */
	private static String optionsHelp() {
		StringBuilder b = new StringBuilder("<h3>Options</h3><p>Settings for the <b>Options</b> field, as <tt>name=value</tt> separated by "
			+ "spaces; in brackets the value each preset gives.</p><ul>");
		for (var o : TrainOptions.settingsHelp())
			b.append("<li><tt>").append(o.name()).append('=').append(o.placeholder()).append("</tt> [").append(CommandDescriptor.html(o.presets()))
				.append("]: ").append(CommandDescriptor.html(o.help())).append("</li>");
		return b.append("</ul>").toString();
	}

	/** The settings from the values either face read. */
	static CoTrainSettings from(CommandValues v) {
		return new CoTrainSettings(v.text("labeled"), v.text("images"), v.text("labels"), v.path("dataset"), v.text("unlabeled"), v.path("folder"),
			v.text("method"), v.text("architecture"), v.text("model2d"), v.text("finetuning"), v.text("preset"), v.integer("epochs"), v.text("subset"),
			v.path("output"), v.flag("resume"), v.text("options"), v.path("weights2d"), v.integer("slicezoom"), v.flag("overwrite"), !v.flag("skipevaluation"));
	}
}
