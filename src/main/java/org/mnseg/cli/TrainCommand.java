package org.mnseg.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mnseg.train.ConfigOverrides;
import org.mnseg.util.Devices;
import org.mnseg.util.UserError;
import org.mnseg.workflow.TrainWorkflow;

/** {@code mn train}. */
final class TrainCommand {
	private TrainCommand() {}

	static final String HELP = String.join("\n",
		"usage: mn train --dataset D --out RUN [--labeled N|all] [--method " + String.join("|", TrainWorkflow.METHODS) + "] [--preset cpu|paper]",
		"                [--epochs E] [--seed S] [--resume] [--no-eval] [--threads T] [--device auto|cpu|gpu] [training options]",
		"",
		"  --dataset D   dataset.json (or its folder), or a folder with images/, labels/ and optional unlabeled/",
		"  --labeled N   size of the labeled subset (the data set's labeled.N list, default 8); 'all' uses every training case",
		"  --out RUN     run folder: plan.json (written before training), model.mnmodel, log.csv, checkpoint.mnckpt,",
		"                metrics.json and result.json",
		"  --method M    mn: M&N co-training of a pretrained 2-D model and a 3-D UNet (labeled warm-up, then each model",
		"                learns from the other's pseudo-labels on unlabeled volumes); labeled-only: the 3-D UNet alone;",
		"                2d-only: the 2-D model alone; fixed-pseudo: the 3-D UNet on the 2-D model's masks, made once;",
		"                mn-control: M&N's stages and schedules without any unlabeled patch (M&N minus it is co-training's gain);",
		"                oracle (a diagnostic for fully labeled benchmark data): fixed-pseudo with the unlabeled volumes' TRUE",
		"                labels in place of the 2-D model's masks: about the most pseudo-labels could give under this schedule",
		"  --resume      continue the run in RUN from its last checkpoint (same result as an uninterrupted run)",
		"  --overwrite   start a new run in RUN although it holds an earlier run's checkpoint or results (they are",
		"                deleted first); without it such a folder is refused",
		"  --no-eval     skip the evaluation on the data set's test split",
		"  --preset P    cpu (default: sized for a 2-core computer, a run in minutes) or paper (the paper's GPU settings)",
		"  --threads T   CPU threads of the engine (default: all cores)",
		"  --device D    auto (default: a GPU when the engine finds one), cpu or gpu",
		"",
		"Training options: each overrides the preset's value, shown in brackets:");

	/** {@code stop}: asked to stop (SIGTERM, Ctrl-C); polled at the command's safe points. */
	static int run(List<String> argv, PrintStream out, java.util.function.BooleanSupplier stop) {
		if (argv.contains("--help")) {
			out.println(HELP);
			ConfigOverrides.describe().forEach(l -> out.println("  " + l));
			return 0;
		}
		Args a = new Args("train", argv, Set.of("resume", "no-eval", "overwrite"));
		Path runDir = a.path("out", "the run folder");
		boolean resume = a.flag("resume");
		boolean overwrite = a.flag("overwrite");
		Path dataset = resume && !a.has("dataset") ? null : a.path("dataset", "the data set: a dataset.json or a folder");
		String labeledText = a.get("labeled", "8");
		int labeled = labeledText.equalsIgnoreCase("all") ? -1 : a.integer("labeled", 8);
		// -1 stands for 'all' inside; typed, it is a mistake
		if (!labeledText.equalsIgnoreCase("all") && labeled < 1)
			throw new UserError("mn train: --labeled expects the size of a labeled subset (1 or more) or 'all', got '" + labeledText + "'.");
		String method = a.get("method", TrainWorkflow.METHODS.get(0));
		String preset = a.get("preset", "cpu");
		String device = a.get("device", "auto");
		a.get("threads", null); // applied by Main before the engine starts
		boolean evaluate = !a.flag("no-eval");
		Map<String, String> overrides = a.remaining();
		ConsoleProgress progress = new ConsoleProgress(out);
		TrainWorkflow.Result result = TrainWorkflow.run(
			new TrainWorkflow.Request(dataset, labeled, method, preset, overrides, runDir, resume, evaluate, Devices.resolve(device), overwrite), progress,
			stop);
		progress.endLine();
		out.println("Model bundle: " + result.bundle());
		if (Double.isFinite(result.validationDice())) out.println(String.format(java.util.Locale.ROOT, "Validation Dice: %.4f", result.validationDice()));
		if (result.metrics() != null) {
			out.println("Test metrics: " + result.metrics());
			out.println(EvaluateCommand.meanLine(result.summary().getAsJsonObject("mean")));
		}
		return 0;
	}
}
