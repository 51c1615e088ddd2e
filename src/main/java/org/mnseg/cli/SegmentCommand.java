package org.mnseg.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.mnseg.bundle.ModelBundle;
import org.mnseg.inference.Segmenter;
import org.mnseg.inference.SlidingWindow;
import org.mnseg.inference.WindowSettings;
import org.mnseg.util.Devices;
import org.mnseg.workflow.SegmentWorkflow;

/** {@code mn segment}. */
final class SegmentCommand {
	private SegmentCommand() {}

	static final String HELP = String.join("\n",
		"usage: mn segment --model BUNDLE --input FILE_OR_DIR --output DIR [options]",
		"",
		"  --model BUNDLE       a .mnmodel file written by mn train or M&N Co-Train",
		"  --input FILE_OR_DIR  a volume (.nii, .nii.gz, .tif, .h5) or a folder of them",
		"  --output DIR         where <name>.nii.gz (or <name>.tif for TIFF input) label images go",
		"  --role 3d|2d         which of the bundle's networks segments (default: the bundle's default, 3d)",
		"  --overlap F          sliding-window overlap in [0, 1) (default: the bundle's, 0.5)",
		"  --blend uniform|gaussian  how overlapping windows are averaged (default: the bundle's, uniform)",
		"  --window-batch N     windows per forward pass (default 8)",
		"  --probabilities      also write <name>_foreground_probability (1 - P(background))",
		"  --threads T, --device auto|cpu|gpu");

	static int run(List<String> argv, PrintStream out) {
		if (argv.contains("--help")) {
			out.println(HELP);
			return 0;
		}
		Args a = new Args("segment", argv, Set.of("probabilities"));
		Path model = a.path("model", "the .mnmodel bundle");
		Path input = a.path("input", "a volume file or folder");
		Path output = a.path("output", "the output folder");
		String role = a.get("role", null);
		boolean probabilities = a.flag("probabilities");
		String device = a.get("device", "auto");
		a.get("threads", null);
		ModelBundle bundle = ModelBundle.load(model);
		WindowSettings window = Segmenter.defaultWindow(bundle.info());
		if (a.has("overlap")) window = window.withOverlap(a.number("overlap", 0.5));
		if (a.has("blend")) window = window.withBlending(SlidingWindow.Blending.parse(a.get("blend", "uniform")));
		if (a.has("window-batch")) window = window.withBatch(a.integer("window-batch", WindowSettings.DEFAULT_BATCH));
		a.checkAllUsed();
		ConsoleProgress progress = new ConsoleProgress(out);
		try (Segmenter segmenter = new Segmenter(bundle, role, Devices.resolve(device), window)) {
			for (Path p : SegmentWorkflow.run(segmenter, input, output, probabilities, progress, null)) out.println("wrote " + p);
		}
		return 0;
	}
}
