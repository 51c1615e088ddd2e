package org.mnseg.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mnseg.bundle.TensorStore;
import org.mnseg.bundle.ZipContainer;
import org.mnseg.nn.Param;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;

/**
 * Everything a killed or cancelled run needs to continue as if it had never stopped: the configuration, the next
 * epoch per model, elapsed time, and per model its weights and optimiser state. Written atomically after every
 * epoch, so the file on disk is always a complete earlier state.
 */
public final class Checkpoint {
	public static final String FILE_NAME = "checkpoint.mnckpt";

	private Checkpoint() {}

	/** Saved state of a run; {@code blobs} hold run state besides the networks (foreground maps, pseudo-labels). */
	public record State(TrainingPlan plan, int nextEpoch, double elapsedSeconds, double peakRssMb, Map<String, byte[]> blobs) {}

	public static void save(Path file, State state, List<ModelTrainer> trainers) {
		ZipContainer zip = new ZipContainer();
		JsonObject doc = new JsonObject();
		doc.add("plan", state.plan().toJson());
		doc.addProperty("nextEpoch", state.nextEpoch());
		doc.addProperty("elapsedSeconds", state.elapsedSeconds());
		doc.addProperty("peakRssMb", state.peakRssMb());
		JsonObject steps = new JsonObject();
		for (ModelTrainer t : trainers) {
			// views of the live arrays, written before training goes on: no copy of both models on the heap each epoch
			Map<String, NDArray> weights = new LinkedHashMap<>();
			for (Param p : t.network().params()) weights.put(p.name(), p.array());
			zip.putTensors("models/" + t.role(), TensorStore.viewOf(weights));
			zip.putTensors("optimizer/" + t.role(), TensorStore.viewOf(t.optimizer().momentArrays()));
			steps.addProperty(t.role(), t.optimizer().stepCount());
		}
		doc.add("optimizerSteps", steps);
		if (state.blobs() != null) state.blobs().forEach((name, data) -> zip.putBytes("state/" + name, data));
		zip.putJson("checkpoint.json", doc);
		zip.write(file);
	}

	/** Reads the state and restores weights and optimiser state into the given trainers (matched by role). */
	public static State load(Path file, List<ModelTrainer> trainers) {
		ZipContainer zip = ZipContainer.read(file, "checkpoint");
		if (zip.json("checkpoint.json") == null) throw new UserError(file + " is not an M&N checkpoint.");
		JsonObject doc = zip.json("checkpoint.json").getAsJsonObject();
		for (ModelTrainer t : trainers) {
			TensorStore w = zip.tensors("models/" + t.role());
			TensorStore o = zip.tensors("optimizer/" + t.role());
			if (w == null || o == null) throw new UserError(file + " has no saved state for the '" + t.role() + "' model; it belongs to a different kind of run.");
			w.loadInto(t.network().params(), "The checkpoint");
			Map<String, float[]> state = new LinkedHashMap<>();
			o.asMap().forEach((name, tensor) -> state.put(name, tensor.data()));
			t.optimizer().importState(state, doc.getAsJsonObject("optimizerSteps").get(t.role()).getAsLong());
		}
		Map<String, byte[]> blobs = new LinkedHashMap<>();
		for (String name : zip.byteEntries())
			if (name.startsWith("state/")) blobs.put(name.substring("state/".length()), zip.bytes(name));
		return new State(plan(doc), doc.get("nextEpoch").getAsInt(),
			doc.get("elapsedSeconds").getAsDouble(), doc.has("peakRssMb") ? doc.get("peakRssMb").getAsDouble() : 0,
			blobs);
	}

	/** What a checkpoint says about its run, without the weights: the plan and the next epoch to train. */
	public record Header(TrainingPlan plan, int nextEpoch) {}

	/** Reads the plan and progress (to check a resume, and to rebuild the networks before loading their state). */
	public static Header readHeader(Path file) {
		ZipContainer zip = ZipContainer.read(file, "checkpoint");
		if (zip.json("checkpoint.json") == null) throw new UserError(file + " is not an M&N checkpoint.");
		JsonObject doc = zip.json("checkpoint.json").getAsJsonObject();
		return new Header(plan(doc), doc.get("nextEpoch").getAsInt());
	}

	/** Reads only the plan (to rebuild the networks before loading their state). */
	public static TrainingPlan readPlan(Path file) {
		return readHeader(file).plan();
	}

	/** The plan of a checkpoint; those written before plans existed hold the flat configuration under "config". */
	private static TrainingPlan plan(JsonObject doc) {
		return TrainingPlan.fromJson(doc.has("plan") ? doc.get("plan") : doc.get("config"));
	}
}
