package org.mnseg.export;

import java.util.Locale;
import java.util.Map;

import org.mnseg.bundle.BundleInfo;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.Normalization;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** The texts of an exported model: its one-paragraph description and its README (how it was trained, how to run it). */
final class Documentation {
	private Documentation() {}

	/** The description field: what the network is and what it was trained on. */
	static String summary(BundleInfo info, ModelBundle.Entry entry) {
		Map<String, Object> kwargs = BioImageIoExporter.architectureKwargs(entry);
		return "3D UNet (" + kwargs.get("levels") + " levels, " + kwargs.get("base_filters") + " filters at the first) that segments "
			+ String.join(", ", info.classNames.subList(Math.min(1, info.classNames.size()), info.classNames.size())) + " in "
			+ (info.datasetName == null ? "3D volumes" : info.datasetName) + ", trained with M&N for Fiji (method " + info.method + ", preset "
			+ info.preset + ", " + info.labeled + " labeled volume" + (info.labeled == 1 ? "" : "s") + ").";
	}

	static String readme(BundleInfo info, ModelBundle.Entry entry, String role, String name, BioImageIoExporter.ValidSizes sizes, int[] tile,
		BioImageIoExporter.TestVolume source, JsonObject metrics) {
		BundleInfo.Window window = info.window();
		StringBuilder b = new StringBuilder();
		b.append("# ").append(name).append("\n\n").append(summary(info, entry)).append("\n\n");
		b.append("## Training\n\n");
		b.append("| | |\n|---|---|\n");
		row(b, "data set", (info.datasetName == null ? "unnamed" : info.datasetName) + (info.dataset == null ? "" : " (`" + info.dataset + "`)"));
		row(b, "split", info.split);
		row(b, "labeled cases", info.labeled + (info.labeledCases.isEmpty() ? "" : ": " + String.join(", ", info.labeledCases)));
		row(b, "method", info.method + methodNote(info.method));
		row(b, "preset", info.preset);
		row(b, "epochs", Integer.toString(info.epochs));
		row(b, "seed", Long.toString(info.seed));
		row(b, "classes", String.join(", ", info.classNames));
		row(b, "patch (x, y, z)", window.patch == null ? "" : xyz(window.patch));
		row(b, "voxel spacing (mm, x y z)", info.spacing == null ? "" : info.spacing[0] + " " + info.spacing[1] + " " + info.spacing[2]);
		row(b, "normalisation", info.normalization + " (" + normalisation(info.normalization) + ")");
		row(b, "network", "`" + entry.architecture() + "` " + BioImageIoExporter.architectureKwargs(entry) + ", the bundle's '" + role + "' model");
		row(b, "trained by", "M&N for Fiji " + info.codeVersion + (info.created == null ? "" : ", " + info.created));
		b.append("\n## Validation\n\n");
		if (metrics != null && metrics.has("mean") && metrics.get("mean").isJsonObject()) {
			b.append("Scores on the data set's test split, computed by `mn train` after training (`metrics.json` of the run; Dice and "
				+ "Jaccard as fractions, distances in voxels and mm; mean over the foreground classes, then per class):\n\n");
			b.append("| | Dice | Jaccard | HD95 vox | ASD vox | HD95 mm | ASD mm |\n|---|---|---|---|---|---|---|\n");
			metricRow(b, "mean", metrics.getAsJsonObject("mean"));
			if (metrics.has("classes") && metrics.get("classes").isJsonObject())
				for (Map.Entry<String, JsonElement> c : metrics.getAsJsonObject("classes").entrySet())
					if (c.getValue().isJsonObject()) metricRow(b, className(info, c.getKey()), c.getValue().getAsJsonObject());
			b.append('\n');
		} else {
			b.append("No test scores travelled with this model (the run folder held no `metrics.json`).\n\n");
		}
		b.append("To check a copy of the model, `bioimageio test <this zip>` (from `bioimageio.core`) runs the test input through the "
			+ "weights and compares with the test output. To score it on new labeled volumes, segment them (argmax of the output) and "
			+ "compare with `mn evaluate --pred P --truth T` (Dice, Jaccard, HD95, ASD).\n\n");
		b.append("## Using the model\n\n");
		b.append("- Input `image`: one volume, axes (batch, channel, z, y, x), float32, as stored (the preprocessing normalises it). Tile "
			+ "sizes: " + sizes.min() + " + n x " + sizes.step() + " voxels per axis; the training patch was "
			+ (window.patch == null ? "?" : xyz(window.patch)) + " (x, y, z).\n");
		b.append("- Output `probabilities`: per class, same size as the input; crop a halo of " + sizes.halo() + " voxels from each side "
			+ "of a tile when stitching tiles. M&N for Fiji itself averages overlapping windows (overlap " + window.overlap + ", " + window.blending
			+ " weights) instead.\n");
		b.append("- Weights: `pytorch_state_dict` (written by Java in `torch.save`'s format); architecture `unet3d_torch.py`, class "
			+ "`UNet3D`. In Python: `net = UNet3D(**kwargs); net.load_state_dict(torch.load('weights.pt', weights_only=True))`.\n");
		b.append("- The test tensors are a " + xyz(tile) + " (x, y, z) tile of "
			+ "`" + source.file().getFileName() + "`" + (source.caseId() == null ? "" : " (training case " + source.caseId() + ")")
			+ " and the probabilities the Java network computed for it.\n");
		return b.toString();
	}

	private static String methodNote(String method) {
		return switch (method == null ? "" : method) {
			case "mn" -> " (M&N co-training of a pretrained 2D network and this 3D UNet on labeled and unlabeled volumes)";
			case "labeled-only" -> " (the 3D UNet on the labeled volumes alone)";
			case "fixed-pseudo" -> " (the 3D UNet on masks made once by the fine-tuned 2D network)";
			default -> "";
		};
	}

	private static String normalisation(String n) {
		try {
			return Normalization.parse(n).description();
		} catch (RuntimeException e) {
			return "unknown";
		}
	}

	private static String className(BundleInfo info, String key) {
		try {
			int k = Integer.parseInt(key);
			return k >= 0 && k < info.classNames.size() ? info.classNames.get(k) : key;
		} catch (NumberFormatException e) {
			return key;
		}
	}

	/** Sizes {x, y, z} as "x x y x z". */
	private static String xyz(int[] v) {
		return v[0] + " x " + v[1] + " x " + v[2];
	}

	private static void row(StringBuilder b, String key, String value) {
		b.append("| ").append(key).append(" | ").append(value == null ? "" : value.replace("|", "\\|")).append(" |\n");
	}

	private static void metricRow(StringBuilder b, String label, JsonObject m) {
		b.append("| ").append(label);
		for (String k : new String[] { "dice", "jaccard", "hd95_vox", "asd_vox", "hd95_mm", "asd_mm" })
			b.append(" | ").append(m.has(k) && m.get(k).isJsonPrimitive() ? String.format(Locale.ROOT, "%.4f", m.get(k).getAsDouble()) : "");
		b.append(" |\n");
	}
}
