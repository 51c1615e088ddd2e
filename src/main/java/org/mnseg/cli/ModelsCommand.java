package org.mnseg.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.mnseg.models.NetworkFactory;
import org.mnseg.nn2d.mobilenet.GoldenVerification;
import org.mnseg.pretrained.PretrainedModel;
import org.mnseg.pretrained.PretrainedModels;
import org.mnseg.pretrained.WeightsSource;
import org.mnseg.util.AtomicFiles;

/** {@code mn models list|fetch|verify}: the networks, their pretrained weights, and a check of an installation. */
final class ModelsCommand {
	private ModelsCommand() {}

	static final String HELP = String.join("\n",
		"usage: mn models list                       architectures and pretrained weights (and where they are found)",
		"       mn models fetch [--id ID]            put pretrained weights into the cache (download, SHA-256 checked);",
		"                                            without --id the TFLite graphs (SegFormer checkpoints: one --id each)",
		"       mn models verify --golden DIR [--json FILE]",
		"                                            compare the pretrained networks with independent reference outputs",
		"",
		"Weights are looked up in: the cache folder (MN_CACHE_DIR/models, default ~/.cache/mnseg/models), ../shared/models,",
		"then downloaded from their public origin unless MN_OFFLINE=1.");

	static int run(List<String> argv, PrintStream out) {
		if (argv.isEmpty() || argv.contains("--help")) {
			out.println(HELP);
			return argv.isEmpty() ? 2 : 0;
		}
		String action = argv.get(0);
		Args a = new Args("models " + action, argv.subList(1, argv.size()), Set.of());
		a.get("threads", null);
		a.get("device", null);
		ConsoleProgress console = new ConsoleProgress(out);
		WeightsSource.Progress progress = (bytes, total) -> console.message(
			String.format(Locale.ROOT, "  downloaded %.1f of %s MB", bytes / 1e6, total < 0 ? "?" : String.format(Locale.ROOT, "%.1f", total / 1e6)));
		switch (action) {
			case "list": {
				a.checkAllUsed();
				out.println("Architectures: " + String.join(", ", NetworkFactory.ARCHITECTURES));
				out.println("Pretrained weights:");
				WeightsSource source = WeightsSource.defaults(null);
				for (PretrainedModel m : PretrainedModels.ALL)
					out.println(String.format(Locale.ROOT, "  %-34s %s (%s)%n  %-34s from %s%n  %-34s SHA-256 %s", m.id(), m.description(), m.licence(), "",
						m.url(), "", m.pinned() ? m.sha256() : "not pinned: checked against the hash Hugging Face announces"));
				out.println("Cache folder: " + source.cacheDir());
				return 0;
			}
			case "fetch": {
				String id = a.get("id", null);
				a.checkAllUsed();
				WeightsSource source = WeightsSource.defaults(progress);
				for (PretrainedModel m : id == null ? PretrainedModels.TFLITE : List.of(PretrainedModels.byId(id)))
					out.println(m.id() + ": " + source.resolve(m));
				return 0;
			}
			case "verify": {
				Path golden = a.path("golden", "the folder of reference inputs and outputs, e.g. ../shared/models/golden");
				String json = a.get("json", null);
				a.checkAllUsed();
				List<GoldenVerification.Row> rows = GoldenVerification.run(golden, WeightsSource.defaults(progress));
				out.println(GoldenVerification.table(rows));
				if (json != null) AtomicFiles.writeString(Path.of(json), GoldenVerification.json(rows));
				boolean ok = GoldenVerification.allPass(rows);
				if (!ok) out.println("This installation does not compute what the published networks compute.");
				return ok ? 0 : 1;
			}
			default:
				out.println(HELP);
				return 2;
		}
	}
}
