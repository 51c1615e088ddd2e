package org.mnseg.fiji;

import static org.mnseg.fiji.CommandParameter.choice;
import static org.mnseg.fiji.CommandParameter.file;
import static org.mnseg.fiji.CommandParameter.flag;
import static org.mnseg.fiji.CommandParameter.text;

import java.nio.file.Path;
import java.util.List;

import org.mnseg.bundle.ModelBundle;
import org.mnseg.inference.Segmenter;

/**
 * What "M&amp;N Segment" is asked to do, and its fields ({@link #DESCRIPTOR}), declared once for the dialog, the macro
 * keys and the SciJava command.
 *
 * @param model the {@code .mnmodel} bundle
 * @param input {@link #CURRENT_IMAGE} or {@link #FOLDER}
 * @param folder the folder of volumes to segment (input = folder)
 * @param output where label files go; optional for the current image, required for a folder
 * @param probability also make the foreground probability map
 * @param rois also put one ROI per class and slice into the ROI Manager (current image only)
 * @param overlay also show the label colours over the segmented image (current image only)
 * @param replaceNan the value put in place of NaN and infinite voxels; empty: such images are refused
 * @param overwrite existing result files in the output folder are replaced
 * @param network which of the bundle's networks segments: one of {@link #NETWORKS} ({@code mn segment --role})
 */
public record SegmentSettings(Path model, String input, Path folder, Path output, boolean probability, boolean rois, boolean overlay,
	String replaceNan, boolean overwrite, String network) {
	/** Settings that refuse non-finite voxels, replace no file and segment with the bundle's default network (the dialog's defaults). */
	public SegmentSettings(Path model, String input, Path folder, Path output, boolean probability, boolean rois, boolean overlay) {
		this(model, input, folder, output, probability, rois, overlay, "", false, DEFAULT_NETWORK);
	}

	/** {@link #NETWORKS}' first: the bundle's default network (M&amp;N's 3-D model), the others are bundle roles. */
	public static final String DEFAULT_NETWORK = "default";
	public static final List<String> NETWORKS = List.of(DEFAULT_NETWORK, ModelBundle.ROLE_3D, ModelBundle.ROLE_2D, Segmenter.ENSEMBLE);

	public static final String CURRENT_IMAGE = "current image", FOLDER = "folder";
	public static final List<String> INPUTS = List.of(CURRENT_IMAGE, FOLDER);

	public static final String INPUT = "Input", RESULTS = "Results";

	public static final CommandDescriptor DESCRIPTOR = new CommandDescriptor("M&N Segment",
		"Applies a trained model (a <tt>.mnmodel</tt> file) to the current image or to every volume of a folder. For the current image it "
			+ "opens a label image <tt>&lt;title&gt;-labels</tt> on the same calibration with a label lookup table; for a folder it writes one "
			+ "label file per volume (<tt>&lt;name&gt;.nii.gz</tt>, or <tt>&lt;name&gt;.tif</tt> for TIFF input), exactly as "
			+ "<tt>mn segment</tt> does. The image must have the channels the model was trained on.",
		List.of(INPUT, RESULTS), List.of(
			file(INPUT, "model", "Model", "The .mnmodel file that M&N Co-Train (or 'mn train') saved in its output folder."),
			choice(INPUT, "input", "Input", () -> INPUTS, CURRENT_IMAGE, "'current image': the active image; 'folder': every volume in the folder below."),
			CommandParameter.folder(INPUT, "folder", "Folder", "Only for Input = folder: the images to segment (.tif, .nii, .nii.gz, .h5)."),
			CommandParameter.folder(RESULTS, "output", "Output", "Where label files are saved. Required for a folder; optional for the current image (saved as TIFF)."),
			flag(RESULTS, "probability", "Probability map", "Also make the foreground probability (1 - P(background), 0 to 1) as a 32-bit image."),
			flag(RESULTS, "rois", "ROIs per class and slice", "Also add one ROI per class and slice to the ROI Manager (named after the class)."),
			flag(RESULTS, "overlay", "Labels over the image", "Also show the label colours, half transparent, as an overlay on the segmented image."),
			flag(RESULTS, "overwrite", "Overwrite", "Replace result files that exist already in the output folder.").notRemembered(),
			text(INPUT, "replacenan", "NaN voxels become", "", "Optional: the value (e.g. 0) put in place of NaN and infinite voxels; empty: "
				+ "images with such voxels are refused.").asAdvanced(),
			choice(INPUT, "network", "Network", () -> NETWORKS, DEFAULT_NETWORK, "Which of the model's networks segments: 'default' (an M&N "
				+ "model's 3D model, as the paper does); '3d'; '2d' (an M&N model's 2D partner); 'ensemble' (an M&N model's 3D and 2D models "
				+ "together, the mean of their class probabilities).").asAdvanced()));

	static SegmentSettings from(CommandValues v) {
		return new SegmentSettings(v.path("model"), v.text("input"), v.path("folder"), v.path("output"), v.flag("probability"), v.flag("rois"), v.flag("overlay"),
			v.text("replacenan"), v.flag("overwrite"), v.text("network"));
	}

	/** The bundle role the segmenter is asked for; null: the bundle's default. */
	public String role() {
		return DEFAULT_NETWORK.equals(network) || network == null ? null : network;
	}

	public boolean batch() {
		return FOLDER.equals(input);
	}
}
