package org.mnseg.train;

import java.util.Map;

import org.mnseg.util.Json;

import com.google.gson.reflect.TypeToken;

/**
 * Every knob of a training run. Presets fill it ({@link Presets}); command-line options override single fields;
 * the whole object is stored in checkpoints and bundles so a run can be resumed and its model traced.
 */
public final class TrainingConfig {
	public String method = "labeled-only";
	public String preset = "cpu";
	/** Path of the data set (dataset.json or folder) and the labeled subset size (-1: every training case). */
	public String dataset;
	public int labeled = 8;

	// 3-D network
	public String architecture3d = "unet3d";
	public int levels = 4;
	public int baseFilters = 16;

	// patches and batches
	/** Patch size {x, y, z}. */
	public int[] patch = { 64, 64, 32 };
	public int batchSize = 2;
	public int epochs = 100;
	public int iterationsPerEpoch = 8;

	// optimisation (AdamW, warm-up then cosine, stepped per epoch)
	public double lr3d = 1e-3;
	public double weightDecay = 0.01;
	public int warmupEpochs = 5;

	// losses: L = wCe * KL/CE + wDice * Dice
	public double lossWeightCe = 1.0;
	public double lossWeightDice = 1.0;

	// augmentation
	public double foregroundProbability = 0.5;
	public boolean zoom = true;
	public double zoomMin = 0.9;
	public double zoomMax = 1.1;
	public boolean gamma = true;
	public double gammaMin = 0.8;
	public double gammaMax = 1.2;

	// data
	public String normalization = "mri";
	public long seed = 101;

	// sliding-window evaluation on the test split
	public double overlap = 0.5;
	public String blend = "uniform";
	public int windowBatch = 8;

	/** How often (epochs) a checkpoint is written; the last epoch always writes one. */
	public int checkpointEvery = 1;

	public TrainingConfig copy() {
		return Json.GSON.fromJson(Json.GSON.toJson(this), TrainingConfig.class);
	}

	public Map<String, Object> asMap() {
		return Json.GSON.fromJson(Json.GSON.toJson(this), new TypeToken<Map<String, Object>>() {}.getType());
	}
}
