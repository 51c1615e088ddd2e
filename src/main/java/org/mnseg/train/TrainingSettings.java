package org.mnseg.train;

/**
 * Every knob of a training run that an option may set (option names are the field names in kebab case). Presets fill
 * it ({@link Presets}), options override single fields, and {@link TrainingPlan} holds the result with what the run
 * is (method, data set, labeled subset, preset), which no option can change.
 */
public final class TrainingSettings {
	// 3-D network
	@Help("the 3-D network (unet3d)")
	public String architecture3d = "unet3d";
	@Help("resolution levels of the 3-D UNet (the patch sides must be multiples of 2^(levels-1))")
	public int levels = 4;
	@Help("filters of the 3-D UNet's first level, doubled at each level below")
	public int baseFilters = 16;

	// 2-D network (methods mn, 2d-only, fixed-pseudo)
	@Help("the pretrained 2-D partner: deeplabv3plus-mnv2-ade20k, deeplabv3-mnv2-pascal, mnv2-imagenet-unet or segformer-b0..b5 (mn models list)")
	public String architecture2d = "deeplabv3plus-mnv2-ade20k";
	@Help("how the 2-D network is fine-tuned: lora (the paper), decoder or whole")
	public String fineTuning = "lora";
	@Help("rank of the LoRA adapters")
	public int loraRank = 64;
	@Help("LoRA scaling alpha (the adapters' update is scaled by alpha / rank)")
	public double loraAlpha = 64;
	@Help("dropout on the LoRA adapters' input during training")
	public double loraDropout = 0.1;
	@Help("fold the LoRA adapters into the base weights when the bundle is saved (same output, a plain network at inference)")
	public boolean loraMerge = false;
	@Help("start the 2-D model from its published pretrained weights; false: the same network from random weights")
	public boolean pretrained2d = true;
	@Help("a local copy of the 2-D network's pretrained file (a SegFormer model.safetensors, a .tflite) instead of the cache or a download")
	public String weights2d = "";
	@Help("options of the 2-D network as JSON, e.g. {\"slice_zoom\":2} (mn models list)")
	public String options2d = "";
	@Help("what the 2-D model's three input channels carry for 1-channel data: slice (repeated, the paper) or 2.5d (z-1, z, z+1)")
	public String input2d = "slice";
	@Help("the orientations the 2-D model reads: axial (the paper) or all (also coronal and sagittal; pseudo-labels are their mean)")
	public String views2d = "axial";
	@Help("slices of each patch (per orientation) the 2-D model trains on per step; 0: every slice")
	public int slices2d = 0;
	@Help("most slices the 2-D model takes per forward pass during training (its steps, its pseudo-labels for the 3-D model, its predictions "
		+ "of whole volumes), for less memory; a step's loss still covers the whole batch, each pass recomputed for its gradients (the same "
		+ "gradients, one more forward pass per step); a network that normalises over the batch in training (SegFormer) steps on it whole; "
		+ "0: the whole batch at once")
	public int passSlices2d = 0;

	// M&N co-training
	@Help("epochs of the labeled warm-up (stage 1); -1: --stage-one-fraction of the epochs")
	public int stageOneEpochs = -1;
	@Help("the warm-up's share of the epochs when --stage-one-epochs is -1 (the paper: 0.125)")
	public double stageOneFraction = 0.125;
	@Help("end the labeled warm-up early once the 2-D model's validation Dice is within this many points of the 3-D model's (checked at "
		+ "each validation; the warm-up's set length is the cap; mn and mn-control, needs --validation); -1: a fixed warm-up")
	public double stageOneGap = -1;
	@Help("learning-rate-guided sampling of unlabeled patches: lr (the paper), linear (the reference code), uniform or none")
	public String lrg = "lr";
	@Help("how the unlabeled share becomes patches: batch (floor of share x B per batch, the paper) or epoch (spread over the epoch's steps)")
	public String lrgRounding = "batch";
	@Help("a stage-one checkpoint (or its run folder) of a run with the same warm-up settings: co-training starts from it")
	public String stageOneFrom = "";
	@Help("when the 3-D model re-predicts the unlabeled volumes' foreground maps, as fractions of the epochs")
	public String foregroundRefresh = "0.125,0.25,0.375,0.5,0.75";

	// patches and batches
	@Help(value = "training patch and inference window, x,y,z voxels (cpu: the largest multiple of 8 up to 64,64,48 that fits the median volume)", fittedToData = true)
	public int[] patch = { 64, 64, 32 };
	@Help("patches per step (B), labeled and unlabeled together")
	public int batchSize = 2;
	@Help(value = "epochs of the whole run (cpu: 200, or 120 for patches over 100,000 voxels)", fittedToData = true)
	public int epochs = 100;
	@Help("steps per epoch")
	public int iterationsPerEpoch = 8;

	// optimisation (AdamW, warm-up then cosine, stepped per epoch)
	@Help("peak learning rate of the 3-D model (AdamW, warm-up then cosine per stage)")
	public double lr3d = 1e-3;
	@Help("peak learning rate of the 2-D model")
	public double lr2d = 1e-3;
	@Help("AdamW weight decay of both models")
	public double weightDecay = 0.01;
	@Help("epochs of linear learning-rate warm-up at the start of stage 1")
	public int warmupEpochs = 5;

	// losses: L = wCe * KL/CE + wDice * Dice
	@Help("weight of the KL / cross-entropy term of the loss")
	public double lossWeightCe = 1.0;
	@Help("weight of the Dice term of the loss")
	public double lossWeightDice = 1.0;

	// augmentation
	@Help("share of patches centred on foreground (labels, or the 3-D model's foreground maps for unlabeled volumes)")
	public double foregroundProbability = 0.5;
	@Help("random zoom augmentation")
	public boolean zoom = true;
	@Help("smallest random zoom factor")
	public double zoomMin = 0.9;
	@Help("largest random zoom factor")
	public double zoomMax = 1.1;
	@Help("random gamma (contrast) augmentation")
	public boolean gamma = true;
	@Help("smallest random gamma")
	public double gammaMin = 0.8;
	@Help("largest random gamma")
	public double gammaMax = 1.2;

	// data
	@Help("intensity normalisation: mri (z-score per volume), ct (clip to the HU window, scale to [0, 1]) or none")
	public String normalization = "mri";
	@Help("the finite value NaN and infinite voxels become as images are read (e.g. 0); empty: such images are refused")
	public String replaceNan = "";
	@Help("random seed of initialisation, patches, augmentation and slices (same seed, same run)")
	public long seed = 101;

	// sliding-window evaluation on the test split
	@Help("sliding-window overlap at evaluation, in [0, 1)")
	public double overlap = 0.5;
	@Help("how overlapping windows are averaged at evaluation: uniform (the reference) or gaussian")
	public String blend = "uniform";
	@Help("windows per forward pass of the 3-D network at evaluation and in the model file (a 2-D network takes one window's slices per pass; predictions during training take at most --batch-size windows)")
	public int windowBatch = org.mnseg.inference.WindowSettings.DEFAULT_BATCH;

	@Help("labeled training volumes held out for validation (never trained on, not even unlabeled); 0: none")
	public int validation = 0;
	@Help("validate every this many epochs (0: ten times per run); the last epoch always validates")
	public int validateEvery = 0;

	@Help("write a checkpoint every this many epochs; the last epoch always writes one")
	public int checkpointEvery = 1;

	/** Epochs between validations: {@link #validateEvery}, or ten validations per run when it is 0. */
	public int validationInterval() {
		return validateEvery > 0 ? validateEvery : Math.max(1, epochs / 10);
	}

	/** The warm-up length in epochs. */
	public int stageOne() {
		int e = stageOneEpochs < 0 ? (int) Math.round(epochs * stageOneFraction) : stageOneEpochs;
		return Math.min(Math.max(1, e), epochs);
	}
}
