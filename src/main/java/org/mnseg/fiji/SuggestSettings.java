package org.mnseg.fiji;

import static org.mnseg.fiji.CommandParameter.choice;
import static org.mnseg.fiji.CommandParameter.file;
import static org.mnseg.fiji.CommandParameter.flag;
import static org.mnseg.fiji.CommandParameter.integer;
import static org.mnseg.fiji.CommandParameter.text;

import java.nio.file.Path;
import java.util.List;

import org.mnseg.suggest.Measure;
import org.mnseg.suggest.Ranking;

/**
 * What "M&amp;N Suggest Annotations" is asked to do, and its fields ({@link #DESCRIPTOR}), declared once for the dialog,
 * the macro keys and the SciJava command.
 *
 * @param model the {@code .mnmodel} bundle (an M&amp;N one has the 2-D partner the disagreement needs)
 * @param input {@link #OPEN_IMAGES} or {@link #FOLDER}
 * @param images titles of open images, comma separated; empty: every open image but earlier heat maps
 * @param folder the folder of volumes (input = folder)
 * @param measure a {@link Measure} key
 * @param top how many slices to suggest
 * @param spacing the fewest slices between two suggestions in one image
 * @param output where suggestions.json and the heat maps go; optional
 * @param overwrite replace outputs that exist already
 */
public record SuggestSettings(Path model, String input, String images, Path folder, String measure, int top, int spacing, Path output,
	boolean overwrite) {
	public static final String OPEN_IMAGES = "open images", FOLDER = "folder";
	public static final List<String> INPUTS = List.of(OPEN_IMAGES, FOLDER);

	public static final String INPUT = "Input", RESULTS = "Results";

	public static final CommandDescriptor DESCRIPTOR = new CommandDescriptor("M&N Suggest Annotations",
		"After an M&amp;N training, ranks unlabeled images by where the 3D model and its 2D partner disagree: where a label would "
			+ "teach the models most. Shows one 32-bit heat map <tt>&lt;title&gt;-suggest</tt> per image (the disagreement per voxel, 0 to 1, "
			+ "Fire lookup table) and puts the top slices into the ROI Manager as <tt>annotate next: &lt;image&gt; z=&lt;slice&gt; "
			+ "score=&lt;score&gt;</tt>; the same ranking as <tt>mn suggest</tt>. A model trained without a 2D network ranks by the 3D "
			+ "model's uncertainty instead, and says so in the Log.",
		List.of(INPUT, RESULTS), List.of(
			file(INPUT, "model", "Model", "The .mnmodel file that M&N Co-Train (or 'mn train') saved; method mn gives both networks."),
			choice(INPUT, "input", "Input", () -> INPUTS, OPEN_IMAGES, "'open images': the images named below; 'folder': every volume in the folder below."),
			text(INPUT, "images", "Images", "", "Only for Input = open images: titles, comma separated; empty: every open image except earlier heat maps."),
			CommandParameter.folder(INPUT, "folder", "Folder", "Only for Input = folder: the unlabeled volumes to rank (.tif, .nii, .nii.gz, .h5)."),
			choice(RESULTS, "measure", "Measure", Measure::keys, Measure.DISAGREEMENT.key(),
				"disagreement: how differently the 3D and 2D models see each voxel; uncertainty: how unsure the 3D model is; both: their mean."),
			integer(RESULTS, "top", "Slices to suggest", 10, "How many slices go into the ROI Manager, best first."),
			integer(RESULTS, "spacing", "Slices apart", Ranking.DEFAULT_SPACING, "The suggested slices of one image are at least this many slices "
				+ "apart (neighbouring slices look alike); 1 allows neighbours.").asAdvanced(),
			CommandParameter.folder(RESULTS, "output", "Output", "Optional: where suggestions.json and the heat maps are saved."),
			flag(RESULTS, "overwrite", "Overwrite", "Replace files in the output folder that exist already; without it they stop the command.").notRemembered()));

	static SuggestSettings from(CommandValues v) {
		return new SuggestSettings(v.path("model"), v.text("input"), v.text("images"), v.path("folder"), v.text("measure"), v.integer("top"), v.integer("spacing"), v.path("output"),
			v.flag("overwrite"));
	}

	public boolean batch() {
		return FOLDER.equals(input);
	}
}
