package org.mnseg.train;

/**
 * Every knob of a training run that an option may set (option names are the field names in kebab case). Presets fill
 * it ({@link Presets}), options override single fields, and {@link TrainingPlan} holds the result with what the run
 * is (method, data set, labeled subset, preset), which no option can change.
 */
public final class TrainingSettings {
	// 3-D network
	public String architecture3d = "unet3d";
	public int levels = 4;
	public int baseFilters = 16;

	// 2-D network (methods mn, 2d-only, fixed-pseudo)
	public String architecture2d = "deeplabv3plus-mnv2-ade20k";
	/** lora, decoder or whole. */
	public String fineTuning = "lora";
	public int loraRank = 64;
	public double loraAlpha = 64;
	public double loraDropout = 0.1;
	/** Fold LoRA adapters into the base weights when the bundle is saved (same output, plain network at inference). */
	public boolean loraMerge = false;
	/** Start the 2-D model from its pretrained weights (false: the same network from random initialisation). */
	public boolean pretrained2d = true;
	/**
	 * The pretrained weights file to start the 2-D model from instead of the cache or a download (a Hugging Face
	 * model.safetensors for SegFormer, the .tflite for the MobileNetV2 networks); "": look it up.
	 */
	public String weights2d = "";
	/** Extra options of the 2-D network as JSON, e.g. {"imagenet_normalization": true} (see mn models list). */
	public String options2d = "";
	/**
	 * What the 2-D model's three input channels carry for 1-channel data: slice (the slice repeated, the paper) or 2.5d
	 * (the slice and its two neighbours, z-1, z, z+1).
	 */
	public String input2d = "slice";
	/**
	 * The orientations the 2-D model reads: axial (slices along Z, the paper) or all (also coronal and sagittal; one
	 * network learns from the three, its pseudo-label is their mean probability; each view costs a 2-D pass).
	 */
	public String views2d = "axial";
	/** Slices of each batch (per view) the 2-D model trains on per step (0: every slice, as the reference code). */
	public int slices2d = 0;

	// M&N co-training
	/** Epochs of the labeled warm-up (stage 1) out of {@link #epochs}; -1: {@link #stageOneFraction} of them. */
	public int stageOneEpochs = -1;
	/** The warm-up's share of the epochs when {@link #stageOneEpochs} is -1; the paper's 500 of 4000 is 0.125. */
	public double stageOneFraction = 0.125;
	/** Learning-rate-guided sampling: lr (the paper), linear (the reference code), uniform (ablation), none. */
	public String lrg = "lr";
	/**
	 * How the unlabeled share becomes whole patches: batch (the paper: floor of share x B in every batch) or epoch
	 * (round(share x B x steps) per epoch, spread over its steps, so small batches get their share too).
	 */
	public String lrgRounding = "batch";
	/**
	 * A stage-one checkpoint (or the run folder holding it) of a run with the same settings up to the end of the warm-up:
	 * co-training starts from it instead of training the warm-up again (ablations that differ only in stage 2).
	 */
	public String stageOneFrom = "";
	/** When the unlabeled volumes' foreground maps are re-predicted by the 3-D model, as fractions of the epochs. */
	public String foregroundRefresh = "0.125,0.25,0.375,0.5,0.75";

	// patches and batches
	/** Patch size {x, y, z}. */
	public int[] patch = { 64, 64, 32 };
	public int batchSize = 2;
	public int epochs = 100;
	public int iterationsPerEpoch = 8;

	// optimisation (AdamW, warm-up then cosine, stepped per epoch)
	public double lr3d = 1e-3;
	public double lr2d = 1e-3;
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
	/**
	 * The finite value that NaN and infinite voxels of the images become as they are read ("": none, such images are
	 * refused); also used for the test split's evaluation.
	 */
	public String replaceNan = "";
	public long seed = 101;

	// sliding-window evaluation on the test split
	public double overlap = 0.5;
	public String blend = "uniform";
	public int windowBatch = 8;

	/**
	 * Labeled training volumes held out for validation (never trained on, not even as unlabeled): the last ones of the
	 * training split outside the labeled subset that have label files. 0: no validation.
	 */
	public int validation = 0;
	/** Validate every this many epochs (0: ten times per run); the last epoch always validates. */
	public int validateEvery = 0;

	/** How often (epochs) a checkpoint is written; the last epoch always writes one. */
	public int checkpointEvery = 1;

	/** The warm-up length in epochs. */
	public int stageOne() {
		int e = stageOneEpochs < 0 ? (int) Math.round(epochs * stageOneFraction) : stageOneEpochs;
		return Math.min(Math.max(1, e), epochs);
	}
}
