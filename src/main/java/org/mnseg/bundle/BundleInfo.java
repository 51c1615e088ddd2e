package org.mnseg.bundle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model bundle records besides weights: how to apply the model and where it came from. Plain fields so that
 * the JSON inside the bundle reads naturally.
 */
public final class BundleInfo {
	public int formatVersion = ModelBundle.FORMAT_VERSION;
	/** Training method: labeled-only, mn, 2d-only, fixed-pseudo. */
	public String method;
	/** Class names by index, background first. */
	public List<String> classNames = new ArrayList<>();
	public int inChannels = 1;
	/** How volumes are cut into windows (the training patch size and how windows are blended); see {@link #window()}. */
	public Window window;
	/** Intensity normalisation applied to every input volume: mri, ct or none. */
	public String normalization;
	/** Voxel spacing (mm, x y z) of the training data. */
	public double[] spacing;
	public String preset;
	/** Data set path and name, split and labeled subset used for training. */
	public String dataset;
	public String datasetName;
	public String split;
	public int labeled;
	public List<String> labeledCases = new ArrayList<>();
	public long seed;
	public int epochs;
	/** Code version and commit that trained the model. */
	public String codeVersion;
	/** ISO-8601 time the bundle was written. */
	public String created;
	/** The role segmented with by default ("3d"). */
	public String defaultModel = "3d";
	/**
	 * The orientations the 2-D network reads volumes in (nn.SliceViews: axial, or all three); bundles made before the
	 * option read axial slices.
	 */
	public String views2d = "axial";
	/** The complete training configuration, for provenance. */
	public Map<String, Object> training = new LinkedHashMap<>();
	/**
	 * The published weights the 2-D network started from (id, url, file, sha256, and the check the file passed), for
	 * provenance; null when it started from its initialisation or the bundle predates this record.
	 */
	public Map<String, String> pretrained2d;
	/** The training plan (method, data set, labeled subset, preset, fingerprint, settings) as plan.json holds it. */
	public Map<String, Object> plan = new LinkedHashMap<>();

	/**
	 * Format 1 kept the window settings at the top level (and no window batch); read only, to open those bundles.
	 * Format 2 writes {@link #window} instead.
	 */
	private int[] patchSize;
	private Double overlap;
	private String blend;

	/** The sliding-window settings, as JSON holds them (plain fields; inference.WindowSettings checks them). */
	public static final class Window {
		/** The training patch size {x, y, z}: the window size at inference. */
		public int[] patch;
		public double overlap = 0.5;
		/** uniform or gaussian */
		public String blending = "uniform";
		/** Windows per network call. */
		public int batch = 8;

		public Window() {}

		public Window(int[] patch, double overlap, String blending, int batch) {
			this.patch = patch.clone();
			this.overlap = overlap;
			this.blending = blending;
			this.batch = batch;
		}
	}

	/** The window settings of this bundle, whichever format wrote it. */
	public Window window() {
		if (window != null) return window;
		Window w = new Window();
		w.patch = patchSize;
		if (overlap != null) w.overlap = overlap;
		if (blend != null) w.blending = blend;
		return w;
	}

	public int numClasses() {
		return classNames.size();
	}
}
