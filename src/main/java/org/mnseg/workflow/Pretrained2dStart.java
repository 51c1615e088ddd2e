package org.mnseg.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.mnseg.models.NetworkFactory;
import org.mnseg.nn.Network;
import org.mnseg.nn2d.segformer.SegFormer;
import org.mnseg.pretrained.PretrainedModel;
import org.mnseg.pretrained.WeightsSource;
import org.mnseg.train.RunListener;
import org.mnseg.train.TrainingPlan;
import org.mnseg.train.TrainingSettings;
import org.mnseg.util.Json;

import com.google.gson.reflect.TypeToken;

/**
 * The pretrained weights a training run's 2-D network starts from. They are found when the run starts, before its
 * folder is claimed or any volume read, in {@link WeightsSource}'s order (the file of {@code --weights2d}, the cache,
 * the shared folder, a checked download), so that a missing file stops the run with one message at once.
 *
 * <p>The TFLite networks are built from their file by the factory (which finds the same file again, its hash
 * remembered); a SegFormer is built with its initialisation and gets the checkpoint here ({@link #applyTo}), its M&amp;N
 * head staying freshly initialised. A resumed SegFormer run needs no checkpoint: the run's checkpoint holds every
 * parameter.
 *
 * @param file the checked file, or null when the network starts from its initialisation
 * @param provenance what the run records about the file (id, url, file, sha256, check); empty when none
 */
record Pretrained2dStart(Path file, Map<String, String> provenance) {
	static final Pretrained2dStart NONE = new Pretrained2dStart(null, Map.of());
	/** The provenance in the run folder, beside plan.json. */
	static final String FILE_NAME = "pretrained2d.json";

	/**
	 * Finds the file (downloading it if need be) for a plan's 2-D network; {@link #NONE} when the method has no 2-D
	 * network, random weights are asked for, or a resumed SegFormer does not need it.
	 *
	 * @throws org.mnseg.util.UserError naming the file, where it comes from and where to put it, when it cannot be had
	 */
	static Pretrained2dStart find(TrainingPlan plan, boolean resume, RunListener listener) {
		TrainingSettings s = plan.settings();
		if (!plan.method().uses2d() || !s.pretrained2d) return NONE;
		String architecture = s.architecture2d;
		boolean readByFactory = NetworkFactory.buildsFromPretrainedFile(architecture);
		if (resume && !readByFactory) return NONE;
		Path explicit = s.weights2d.isBlank() ? null : Paths.get(s.weights2d);
		Optional<PretrainedModel> model = NetworkFactory.pretrainedModel(architecture, plan.options2d());
		if (model.isEmpty()) {
			if (explicit == null) {
				listener.message("The 2-D network " + architecture + " has no published weights: it starts from its initialisation (--weights2d FILE "
					+ "names a checkpoint of its sizes).");
				return NONE;
			}
			Map<String, String> p = new LinkedHashMap<>();
			p.put("file", explicit.toString());
			p.put("sha256", WeightsSource.sha256(explicit));
			p.put("check", "not checked: no weights are published for custom sizes; the file is the one named by the user");
			return new Pretrained2dStart(explicit, p);
		}
		WeightsSource.Resolved r = WeightsSource.defaults(downloadProgress(model.get(), listener)).resolveChecked(model.get(), explicit);
		Map<String, String> p = new LinkedHashMap<>();
		p.put("id", r.model().id());
		p.put("url", r.model().url());
		p.put("file", r.file().toAbsolutePath().toString());
		p.put("sha256", r.sha256());
		p.put("check", r.check());
		listener.message("2-D network " + architecture + " starts from " + r.model().id() + ": " + r.file() + " (SHA-256 " + r.sha256() + ", " + r.check()
			+ ")");
		return new Pretrained2dStart(r.file(), p);
	}

	/**
	 * Keeps the provenance in the run folder ({@link #FILE_NAME}) for a new run; a resumed run, which looked nothing up
	 * for a SegFormer, gets it back from there, so that its result and bundle still say where the network started.
	 */
	Pretrained2dStart keptIn(Path runDir, boolean resume) {
		Path file = runDir.resolve(FILE_NAME);
		if (!resume) {
			if (!provenance.isEmpty()) Json.write(file, Json.GSON.toJsonTree(provenance));
			return this;
		}
		if (!provenance.isEmpty() || !Files.isRegularFile(file)) return this;
		Map<String, String> recorded = Json.GSON.fromJson(Json.read(file), new TypeToken<LinkedHashMap<String, String>>() {}.getType());
		return new Pretrained2dStart(this.file, recorded);
	}

	/** Loads the checkpoint into a freshly built SegFormer; the TFLite networks were built from the file already. */
	void applyTo(Network net) {
		if (file != null && net instanceof SegFormer segFormer) segFormer.loadHuggingFace(file);
	}

	/** Download progress as a message at every tenth of the file (every 10 MB when its size is unknown). */
	private static WeightsSource.Progress downloadProgress(PretrainedModel model, RunListener listener) {
		long[] reported = { -1 };
		return (bytes, total) -> {
			long step = total > 0 ? Math.max(1, total / 10) : 10_000_000L;
			if (bytes / step == reported[0] && bytes != total) return;
			reported[0] = bytes / step;
			listener.message(String.format(Locale.ROOT, "Downloading %s: %.1f of %s MB", model.id(), bytes / 1e6,
				total < 0 ? "?" : String.format(Locale.ROOT, "%.1f", total / 1e6)));
		};
	}
}
