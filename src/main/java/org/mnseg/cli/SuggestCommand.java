package org.mnseg.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.mnseg.bundle.ModelBundle;
import org.mnseg.suggest.Measure;
import org.mnseg.suggest.Ranking;
import org.mnseg.suggest.VolumeScore;
import org.mnseg.util.Devices;
import org.mnseg.util.UserError;
import org.mnseg.workflow.SuggestWorkflow;

/** {@code mn suggest}: which unlabeled volumes and slices to annotate next. */
final class SuggestCommand {
	private SuggestCommand() {}

	static final int DEFAULT_TOP = 10;

	static final String HELP = String.join("\n",
		"usage: mn suggest --model BUNDLE --images FILE_OR_DIR [options]",
		"       mn suggest --model BUNDLE --dataset DATASET [--split unlabeled|test] [options]",
		"",
		"Predicts every volume with the bundle's 3D model and its 2D partner (an M&N bundle) and ranks volumes and",
		"slices by where the two disagree: where a label would teach the models most.",
		"",
		"  --model BUNDLE       a .mnmodel file written by mn train or M&N Co-Train",
		"  --images FILE_OR_DIR a volume (.nii, .nii.gz, .tif, .h5), a folder of them, or a .txt list of volume files",
		"  --dataset DATASET    a dataset.json or data set folder; with --split unlabeled (default) its training cases the",
		"                       model was not trained on (and unlabeled/ images), with --split test its test split",
		"  --measure M          disagreement (default): total variation distance of the two models' class probabilities",
		"                       per voxel; uncertainty: entropy of the 3D model's probabilities / ln(classes); both: their",
		"                       mean. A bundle without a 2D model (labeled-only) falls back to uncertainty, and says so",
		"  --top K              how many slices to suggest (default " + DEFAULT_TOP + ")",
		"  --spacing S          the top slices of one volume are at least S slices apart (default " + Ranking.DEFAULT_SPACING
			+ "; 1 allows neighbours)",
		"  --out DIR            write DIR/" + SuggestWorkflow.RESULTS_FILE + " (ranked volumes with their per-slice scores, top slices)",
		"  --heatmaps           also write DIR/<name>" + SuggestWorkflow.HEATMAP_SUFFIX + ".nii.gz (.tif for TIFF input): the measure per voxel",
		"  --overwrite          replace outputs that exist already (without it they stop the command before any work)",
		"  --threads T, --device auto|cpu|gpu",
		"",
		"A volume's score is the measure's mean over the voxels where either model predicts foreground (the whole volume",
		"where none does); a slice's score is its mean over the whole slice. Slices count from 1, as in Fiji.");

	/** {@code stop}: asked to stop (SIGTERM, Ctrl-C); polled at the command's safe points. */
	static int run(List<String> argv, PrintStream out, java.util.function.BooleanSupplier stop) {
		if (argv.contains("--help")) {
			out.println(HELP);
			return 0;
		}
		Args a = new Args("suggest", argv, Set.of("heatmaps", "overwrite"));
		Path model = a.path("model", "the .mnmodel bundle");
		String images = a.get("images", null), dataset = a.get("dataset", null), split = a.get("split", null);
		Measure measure = Measure.parse(a.get("measure", Measure.DISAGREEMENT.key()));
		int top = a.integer("top", DEFAULT_TOP);
		int spacing = a.integer("spacing", Ranking.DEFAULT_SPACING);
		String outText = a.get("out", null);
		boolean heatmaps = a.flag("heatmaps"), overwrite = a.flag("overwrite");
		String device = a.get("device", "auto");
		a.get("threads", null);
		a.checkAllUsed();
		if ((images == null) == (dataset == null))
			throw new UserError("mn suggest: give the volumes to rank, either --images (a volume, a folder or a .txt list) or --dataset, not "
				+ (images == null ? "neither" : "both") + ".");
		if (split != null && dataset == null) throw new UserError("mn suggest: --split goes with --dataset; --images ranks every volume it names.");
		if (top < 1) throw new UserError("mn suggest: --top is the number of slices to suggest, at least 1; got " + top + ".");
		if (spacing < 1)
			throw new UserError("mn suggest: --spacing is the fewest slices between two suggestions in one volume, at least 1; got " + spacing + ".");
		if (heatmaps && outText == null) throw new UserError("mn suggest: --heatmaps writes into the output folder; add --out DIR.");
		if (Files.isDirectory(model))
			throw new UserError("mn suggest: the model " + model + " is a folder. Give the .mnmodel file in it (mn train writes RUN/model.mnmodel).");
		if (!Files.isRegularFile(model))
			throw new UserError("mn suggest: the model " + model + " does not exist. Give the .mnmodel file of a finished training (mn train writes RUN/model.mnmodel).");
		Path outDir = outText == null ? null : Path.of(outText);

		// everything checked before the networks start: the bundle (small), the inputs' names and every output
		ModelBundle bundle = ModelBundle.load(model);
		List<SuggestWorkflow.Input> inputs = images != null ? SuggestWorkflow.imageInputs(Path.of(images))
			: SuggestWorkflow.datasetInputs(Path.of(dataset), split == null ? SuggestWorkflow.UNLABELED : split, bundle.info());
		SuggestWorkflow.requireSafeOutputs(inputs, outDir, heatmaps, overwrite, "Add --overwrite to replace them");
		ConsoleProgress progress = new ConsoleProgress(out);
		SuggestWorkflow.Result r = SuggestWorkflow.run(new SuggestWorkflow.Request(model, inputs, measure, top, spacing, outDir, heatmaps,
			Devices.resolve(device)), progress, stop, null);
		print(r, out);
		for (Path p : r.written()) out.println("wrote " + p);
		return 0;
	}

	private static void print(SuggestWorkflow.Result r, PrintStream out) {
		out.println();
		out.println("Volumes by " + r.measure().key() + " (mean over the voxels either model calls foreground):");
		out.println(String.format(Locale.ROOT, "%5s  %-32s %8s %13s %12s %9s", "rank", "volume", "score", "disagreement", "uncertainty", "region"));
		int rank = 0;
		for (VolumeScore v : r.ranking().volumes())
			out.println(String.format(Locale.ROOT, "%5d  %-32s %8.4f %13s %12.4f %9s", ++rank, v.id(), v.score(),
				Double.isNaN(v.disagreement()) ? "-" : String.format(Locale.ROOT, "%.4f", v.disagreement()), v.uncertainty(),
				v.wholeVolume() ? "whole" : Long.toString(v.regionVoxels())));
		out.println();
		out.println("Annotate next (slices from 1, score = mean " + r.measure().key() + " over the slice):");
		for (Ranking.SliceSuggestion s : r.ranking().slices())
			out.println(String.format(Locale.ROOT, "%5d  %-32s slice %4d  score %.4f", s.rank(), s.volume().id(), s.slice(), s.score()));
	}
}
