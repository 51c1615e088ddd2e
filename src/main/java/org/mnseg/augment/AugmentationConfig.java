package org.mnseg.augment;

import java.util.Arrays;

import org.mnseg.util.UserError;

/**
 * How training patches are cut and augmented (method.md, "Augmentation"): patch size, the chance that a patch is
 * placed on foreground, isotropic zoom and gamma contrast, each switchable. Immutable; build with {@link #builder}.
 *
 * <p>Defaults follow the paper: foreground probability 0.5, zoom on with factors in [0.9, 1.1], gamma on with
 * exponents in [0.8, 1.2]. (The authors' reference code never applies gamma: switch it off to reproduce that.)
 */
public final class AugmentationConfig {
	private final int[] patchSize;
	private final double foregroundProbability;
	private final boolean zoom;
	private final double zoomMin, zoomMax;
	private final boolean gamma;
	private final double gammaMin, gammaMax;

	private AugmentationConfig(Builder b) {
		this.patchSize = b.patchSize.clone();
		this.foregroundProbability = b.foregroundProbability;
		this.zoom = b.zoom;
		this.zoomMin = b.zoomMin;
		this.zoomMax = b.zoomMax;
		this.gamma = b.gamma;
		this.gammaMin = b.gammaMin;
		this.gammaMax = b.gammaMax;
	}

	/** A builder for the given patch size {x, y, z}, with the paper's defaults for everything else. */
	public static Builder builder(int... patchSize) {
		return new Builder(patchSize);
	}

	/** Patch size {x, y, z} in voxels. */
	public int[] patchSize() {
		return patchSize.clone();
	}

	/** Chance that a patch is placed so that it contains a foreground voxel. */
	public double foregroundProbability() {
		return foregroundProbability;
	}

	public boolean zoom() {
		return zoom;
	}

	/** Smallest zoom factor; a factor s shows a region of patch/s voxels at the patch size. */
	public double zoomMin() {
		return zoomMin;
	}

	public double zoomMax() {
		return zoomMax;
	}

	public boolean gamma() {
		return gamma;
	}

	public double gammaMin() {
		return gammaMin;
	}

	public double gammaMax() {
		return gammaMax;
	}

	@Override
	public String toString() {
		return "AugmentationConfig[patch=" + Arrays.toString(patchSize) + ", foregroundProbability=" + foregroundProbability
			+ ", zoom=" + (zoom ? "[" + zoomMin + ", " + zoomMax + "]" : "off")
			+ ", gamma=" + (gamma ? "[" + gammaMin + ", " + gammaMax + "]" : "off") + "]";
	}

	/** Collects the settings and checks them in {@link #build()}. */
	public static final class Builder {
		private final int[] patchSize;
		private double foregroundProbability = 0.5;
		private boolean zoom = true;
		private double zoomMin = 0.9, zoomMax = 1.1;
		private boolean gamma = true;
		private double gammaMin = 0.8, gammaMax = 1.2;

		private Builder(int[] patchSize) {
			if (patchSize == null || patchSize.length != 3)
				throw new UserError("patch size needs 3 values (x, y, z), got " + Arrays.toString(patchSize));
			for (int p : patchSize)
				if (p < 1) throw new UserError("patch size " + Arrays.toString(patchSize) + " has a side below 1 voxel: give positive sizes");
			this.patchSize = patchSize.clone();
		}

		public Builder foregroundProbability(double p) {
			if (!(p >= 0 && p <= 1)) throw new UserError("foreground probability must lie in [0, 1], got " + p);
			this.foregroundProbability = p;
			return this;
		}

		/** Switches zoom on with factors drawn uniformly from [min, max]. */
		public Builder zoom(double min, double max) {
			if (!(min > 0 && max >= min && Double.isFinite(max)))
				throw new UserError("zoom range must satisfy 0 < min <= max, got [" + min + ", " + max + "]");
			this.zoom = true;
			this.zoomMin = min;
			this.zoomMax = max;
			return this;
		}

		public Builder zoom(boolean on) {
			this.zoom = on;
			return this;
		}

		/** Switches gamma on with exponents drawn uniformly from [min, max]. */
		public Builder gamma(double min, double max) {
			if (!(min > 0 && max >= min && Double.isFinite(max)))
				throw new UserError("gamma range must satisfy 0 < min <= max, got [" + min + ", " + max + "]");
			this.gamma = true;
			this.gammaMin = min;
			this.gammaMax = max;
			return this;
		}

		public Builder gamma(boolean on) {
			this.gamma = on;
			return this;
		}

		public AugmentationConfig build() {
			return new AugmentationConfig(this);
		}
	}
}
