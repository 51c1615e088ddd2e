package org.mnseg.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.mnseg.metrics.EvaluationReport;
import org.mnseg.util.Json;
import org.mnseg.util.OutputFiles;
import org.mnseg.util.UserError;
import org.mnseg.workflow.EvaluateWorkflow;

import com.google.gson.JsonObject;

/** {@code mn evaluate}. */
final class EvaluateCommand {
	private EvaluateCommand() {}

	static final String HELP = String.join("\n",
		"usage: mn evaluate --pred P --truth T [--json FILE] [--classes K]",
		"",
		"  --pred P     a label volume or a folder of them",
		"  --truth T    the ground truth: a file, or a folder matched to --pred by file name",
		"  --json FILE  also write the metrics as JSON (cases, classes, mean); never one of the label files",
		"  --overwrite  replace FILE if it exists",
		"  --classes K  number of classes including background (default: the truth's largest label + 1); a prediction",
		"               with a label value of K or more is refused",
		"",
		"Strict: with folders, every truth case needs a prediction of the same name (missing ones are listed and the",
		"command stops), and each prediction must have its truth's shape and voxel spacing.",
		"",
		"Dice and Jaccard are fractions in [0, 1]; HD95, ASD (prediction to truth) and ASSD (symmetric) in voxels and mm.");

	static int run(List<String> argv, PrintStream out) {
		if (argv.contains("--help")) {
			out.println(HELP);
			return 0;
		}
		Args a = new Args("evaluate", argv, Set.of("overwrite"));
		Path pred = a.path("pred", "predicted label volume(s)");
		Path truth = a.path("truth", "ground-truth label volume(s)");
		String json = a.get("json", null);
		boolean overwrite = a.flag("overwrite");
		int classes = a.integer("classes", -1);
		if (a.has("classes") && classes < 2)
			throw new UserError("mn evaluate: --classes counts the classes including background, so it is at least 2; got " + classes + ".");
		a.get("threads", null);
		a.get("device", null);
		a.checkAllUsed();
		// checked before any volume is read: the report may neither replace a label file nor an earlier report by surprise
		if (json != null) {
			Path target = Path.of(json);
			OutputFiles.requireNotInput(target, EvaluateWorkflow.files(pred, truth), "--json");
			OutputFiles.requireReplaceable(target, overwrite, "--overwrite");
		}
		EvaluationReport report = EvaluateWorkflow.evaluate(pred, truth, classes);
		out.println(report.toMarkdown());
		JsonObject result = report.toJson();
		out.println(meanLine(result.getAsJsonObject("mean")));
		if (json != null) Json.write(Path.of(json), result);
		return 0;
	}

	static String meanLine(JsonObject mean) {
		return String.format(Locale.ROOT, "mean over foreground classes: Dice %.4f  Jaccard %.4f  HD95 %.2f vox (%.2f mm)  ASD %.2f vox (%.2f mm)",
			mean.get("dice").getAsDouble(), mean.get("jaccard").getAsDouble(), mean.get("hd95_vox").getAsDouble(), mean.get("hd95_mm").getAsDouble(),
			mean.get("asd_vox").getAsDouble(), mean.get("asd_mm").getAsDouble());
	}
}
