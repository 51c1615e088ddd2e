package org.mnseg.fiji;

import java.io.File;
import java.util.List;

import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.module.MutableModuleItem;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "M&amp;N Co-Train" as a SciJava command: the same fields, names and behaviour as {@link CoTrainPlugin} (see there
 * and {@link CoTrainSettings}); the method, architecture and preset choices are filled from the core at run time.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>M&N>M&N Co-Train", headless = true, label = "M&N Co-Train")
public class CoTrainCommand extends DynamicCommand {
	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String header = "Labeled data: open image pairs, ROIs in the ROI Manager, or a data set folder.";

	@Parameter(label = "Labeled data", choices = { CoTrainSettings.PAIRS, CoTrainSettings.ROIS, CoTrainSettings.FOLDER })
	private String labeled = CoTrainSettings.PAIRS;

	@Parameter(label = "Images", required = false, description = "Titles of the labeled images, comma separated (for ROIs: the image they are on).")
	private String images = "";

	@Parameter(label = "Labels", required = false, description = "Titles of their label images, same order.")
	private String labels = "";

	@Parameter(label = "Dataset folder", style = "directory", required = false, description = "For 'folder': images/ and labels/, or a dataset.json.")
	private File dataset;

	@Parameter(label = "Unlabeled images", required = false, description = "Optional: titles of open images without labels.")
	private String unlabeled = "";

	@Parameter(label = "Folder of unlabeled", style = "directory", required = false, description = "Optional: a folder of images without labels.")
	private File folder;

	@Parameter(label = "Method", initializer = "initChoices", description = "How the networks learn.")
	private String method;

	@Parameter(label = "Architecture (3D)", description = "The 3-D network trained from scratch.")
	private String architecture;

	@Parameter(label = "2D model", description = "The 2-D network pretrained on natural images (M&N, 2d-only, fixed-pseudo).")
	private String model2d;

	@Parameter(label = "Fine-tuning", description = "How the 2-D network adapts: LoRA adapters (the paper), its decoder only, or the whole network.")
	private String finetuning;

	@Parameter(label = "Preset", description = "cpu: minutes on a laptop; paper: the paper's settings (GPU).")
	private String preset;

	@Parameter(label = "Epochs", min = "0", description = "0 keeps the preset's number of epochs.")
	private int epochs;

	@Parameter(label = "Subset", description = "For 'folder': 'all' or how many labeled cases to use.")
	private String subset = "all";

	@Parameter(label = "Output folder", style = "directory", description = "The run folder: model.mnmodel, log.csv, checkpoint, loss plot.")
	private File output;

	@Parameter(label = "Resume", description = "Continue the cancelled run in the output folder from its checkpoint.")
	private boolean resume;

	@Parameter(label = "Options", required = false, description = "More settings as name=value, e.g. lr3d=3e-4 patch=48,48,32.")
	private String options = "";

	/** Fills the choice lists from the core (new methods appear here without changes to this class). */
	protected void initChoices() {
		choices("method", CoTrainSettings.methods());
		choices("architecture", CoTrainSettings.architectures());
		choices("model2d", CoTrainSettings.models2d());
		choices("finetuning", CoTrainSettings.fineTunings());
		choices("preset", CoTrainSettings.presets());
	}

	private void choices(String name, List<String> values) {
		@SuppressWarnings("unchecked")
		MutableModuleItem<String> item = (MutableModuleItem<String>) getInfo().getMutableInput(name, String.class);
		item.setChoices(values);
		if (item.getValue(this) == null) item.setValue(this, values.get(0));
	}

	@Override
	public void run() {
		try {
			CoTrainPlugin.train(settings());
		} catch (Throwable t) {
			Feedback.report(CoTrainPlugin.COMMAND, t);
		}
	}

	CoTrainSettings settings() {
		return new CoTrainSettings(labeled, images, labels, dataset == null ? null : dataset.toPath(), unlabeled, folder == null ? null : folder.toPath(),
			method == null ? CoTrainSettings.methods().get(0) : method, architecture == null ? CoTrainSettings.architectures().get(0) : architecture,
			model2d == null ? CoTrainSettings.models2d().get(0) : model2d, finetuning == null ? CoTrainSettings.fineTunings().get(0) : finetuning,
			preset == null ? "cpu" : preset, epochs, subset, output == null ? null : output.toPath(), resume, options);
	}
}
