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
	/** Training patch size {x, y, z}; also the sliding-window size at inference. */
	public int[] patchSize;
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
	/** Default sliding-window settings for this model. */
	public double overlap = 0.5;
	public String blend = "uniform";
	/** The complete training configuration, for provenance. */
	public Map<String, Object> training = new LinkedHashMap<>();
	/** The training plan (method, data set, labeled subset, preset, fingerprint, settings) as plan.json holds it. */
	public Map<String, Object> plan = new LinkedHashMap<>();

	public int numClasses() {
		return classNames.size();
	}
}
