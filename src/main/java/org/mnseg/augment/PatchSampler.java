package org.mnseg.augment;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.util.UserError;

/**
 * Cuts one augmented training patch out of a volume (method.md, "Augmentation").
 *
 * <p>Steps, all driven by the caller's random generator so that a resumed run draws exactly the same patches:
 * <ol>
 * <li>Three numbers are always drawn first, whatever is switched on, so that switching zoom or gamma off does not
 * move the crop: the foreground coin, the zoom factor s and the gamma exponent g.</li>
 * <li>The source region has {@code round(patch / s)} voxels per axis (the patch size itself without zoom). With
 * probability {@code foregroundProbability} a foreground voxel is chosen uniformly and the region is placed
 * uniformly among the positions that contain it and lie inside the volume; otherwise the region is placed
 * uniformly inside the volume. Choosing the zoom before the region (rather than zooming about a crop chosen first)
 * keeps the promise that a foreground patch really shows foreground after zoom.</li>
 * <li>The region is resampled to the patch size, voxel centres aligned (the {@code align_corners=false}
 * convention): trilinear for the image, nearest neighbour for the labels. With s = 1 this is an exact crop.</li>
 * <li>Gamma contrast per channel: {@code x' = ((x-min)/(max-min))^g * (max-min) + min} over the patch, so the
 * patch keeps its minimum and maximum.</li>
 * </ol>
 *
 * <p>Zooming out (s &lt; 1) with nearest-neighbour labels skips at most one source voxel per step, so a foreground
 * structure one voxel thin may fall between samples; anything at least two voxels wide always shows.
 *
 * <p>Padding: along an axis where the volume is shorter than the region, the volume is centred in the region and the
 * rest is filled with the nearest edge value for the image and with background (0) for the labels.
 */
public final class PatchSampler {
	private PatchSampler() {}

	/**
	 * Samples one patch.
	 *
	 * @param image          the intensity volume (any number of channels)
	 * @param label          its labels, or null for an unlabeled volume (the patch then has no labels)
	 * @param foregroundMask where foreground is (non-zero bytes, X fastest, one per voxel); null means
	 *                       {@code label > 0}. For unlabeled volumes pass the 3D model's current prediction. With
	 *                       neither, or when the mask holds no foreground, every patch is placed uniformly.
	 * @param cfg            patch size and augmentation settings
	 * @param rng            the only source of randomness; derive it from (seed, epoch, iteration, slot)
	 */
	public static Patch sample(Volume image, LabelVolume label, byte[] foregroundMask, AugmentationConfig cfg, SplittableRandom rng) {
		int[] size = image.shape();
		checkInputs(size, label, foregroundMask);
		byte[] mask = foregroundMask != null ? foregroundMask : label != null ? label.data() : null;

		double coin = rng.nextDouble();
		double zoomDraw = rng.nextDouble();
		double gammaDraw = rng.nextDouble();
		double scale = cfg.zoom() ? cfg.zoomMin() + zoomDraw * (cfg.zoomMax() - cfg.zoomMin()) : 1;

		int[] patch = cfg.patchSize();
		int[] region = new int[3];
		for (int a = 0; a < 3; a++) region[a] = Math.max(1, (int) Math.round(patch[a] / scale));

		int[] anchor = coin < cfg.foregroundProbability() && mask != null ? randomForegroundVoxel(mask, size, rng) : null;
		AxisSampling[] axes = new AxisSampling[3];
		for (int a = 0; a < 3; a++) {
			int start = regionStart(size[a], region[a], anchor == null ? -1 : anchor[a], rng);
			axes[a] = new AxisSampling(start, region[a], patch[a], size[a]);
		}

		int channels = image.channels();
		float[] out = resampleImage(image.data(), size, channels, axes);
		byte[] labels = label == null ? null : resampleLabels(label.data(), size, axes);
		if (cfg.gamma()) {
			double g = cfg.gammaMin() + gammaDraw * (cfg.gammaMax() - cfg.gammaMin());
			int voxels = patch[0] * patch[1] * patch[2];
			for (int c = 0; c < channels; c++) applyGamma(out, c * voxels, voxels, g);
		}
		return new Patch(out, labels, patch, channels);
	}

	private static void checkInputs(int[] size, LabelVolume label, byte[] mask) {
		if (label != null && !Arrays.equals(label.shape(), size))
			throw new UserError("label volume " + Arrays.toString(label.shape()) + " and image " + Arrays.toString(size)
				+ " have different sizes: each label file must lie on its image's voxel grid");
		long voxels = (long) size[0] * size[1] * size[2];
		if (mask != null && mask.length != voxels)
			throw new IllegalArgumentException("foreground mask has " + mask.length + " values, the image " + voxels);
	}

	/** A uniformly chosen non-zero voxel of the mask as {x, y, z}, or null when there is none. */
	private static int[] randomForegroundVoxel(byte[] mask, int[] size, SplittableRandom rng) {
		int count = 0;
		for (byte b : mask) if (b != 0) count++;
		if (count == 0) return null;
		int wanted = rng.nextInt(count);
		int index = 0;
		for (; ; index++) if (mask[index] != 0 && wanted-- == 0) break;
		int plane = size[0] * size[1];
		return new int[] { index % size[0], (index % plane) / size[0], index / plane };
	}

	/**
	 * First voxel of the region along one axis: centred (reaching outside) when the volume is not longer than the
	 * region, otherwise uniform inside the volume and, when {@code anchor >= 0}, among the starts covering it.
	 */
	static int regionStart(int size, int region, int anchor, SplittableRandom rng) {
		if (size <= region) return -((region - size) / 2);
		int lo = 0, hi = size - region;
		if (anchor >= 0) {
			lo = Math.max(lo, anchor - region + 1);
			hi = Math.min(hi, anchor);
		}
		return lo + rng.nextInt(hi - lo + 1);
	}

	private static float[] resampleImage(float[] src, int[] size, int channels, AxisSampling[] axes) {
		AxisSampling ax = axes[0], ay = axes[1], az = axes[2];
		int px = ax.length(), py = ay.length(), pz = az.length();
		int plane = size[0] * size[1];
		long srcVoxels = (long) plane * size[2];
		float[] out = new float[channels * px * py * pz];
		int o = 0;
		for (int c = 0; c < channels; c++) {
			int base = (int) (c * srcVoxels);
			for (int z = 0; z < pz; z++) {
				int z0 = base + az.lower[z] * plane, z1 = base + az.upper[z] * plane;
				float wz = az.upperWeight[z];
				for (int y = 0; y < py; y++) {
					int r00 = z0 + ay.lower[y] * size[0], r01 = z0 + ay.upper[y] * size[0];
					int r10 = z1 + ay.lower[y] * size[0], r11 = z1 + ay.upper[y] * size[0];
					float wy = ay.upperWeight[y];
					for (int x = 0; x < px; x++) {
						int xl = ax.lower[x], xu = ax.upper[x];
						float wx = ax.upperWeight[x];
						float v00 = lerp(src[r00 + xl], src[r00 + xu], wx), v01 = lerp(src[r01 + xl], src[r01 + xu], wx);
						float v10 = lerp(src[r10 + xl], src[r10 + xu], wx), v11 = lerp(src[r11 + xl], src[r11 + xu], wx);
						out[o++] = lerp(lerp(v00, v01, wy), lerp(v10, v11, wy), wz);
					}
				}
			}
		}
		return out;
	}

	/** a + w (b - a) would not return a exactly for w = 0 when b is far from a; this form does. */
	private static float lerp(float a, float b, float w) {
		return w == 0 ? a : a * (1 - w) + b * w;
	}

	private static byte[] resampleLabels(byte[] src, int[] size, AxisSampling[] axes) {
		AxisSampling ax = axes[0], ay = axes[1], az = axes[2];
		int px = ax.length(), py = ay.length(), pz = az.length();
		byte[] out = new byte[px * py * pz];
		int o = 0;
		for (int z = 0; z < pz; z++) {
			int zi = az.nearest[z];
			for (int y = 0; y < py; y++) {
				int yi = ay.nearest[y];
				for (int x = 0; x < px; x++, o++) {
					int xi = ax.nearest[x];
					// outside the volume: background (the array is already 0)
					if (xi >= 0 && yi >= 0 && zi >= 0) out[o] = src[(zi * size[1] + yi) * size[0] + xi];
				}
			}
		}
		return out;
	}

	private static void applyGamma(float[] values, int offset, int length, double gamma) {
		float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
		for (int i = offset; i < offset + length; i++) {
			min = Math.min(min, values[i]);
			max = Math.max(max, values[i]);
		}
		if (!(max > min)) return; // flat patch: nothing to stretch
		double range = (double) max - min;
		for (int i = offset; i < offset + length; i++) {
			float v = values[i];
			// the extremes are kept exactly instead of trusting the rounding of pow and the sums
			if (v != min && v != max) values[i] = (float) (Math.pow((v - min) / range, gamma) * range + min);
		}
	}

	/**
	 * Where each output voxel along one axis reads the volume: the two neighbours (clamped to the volume, which is
	 * edge padding) with the weight of the upper one, and the nearest voxel (-1 outside the volume).
	 */
	private static final class AxisSampling {
		final int[] lower, upper, nearest;
		final float[] upperWeight;

		AxisSampling(int start, int region, int patch, int size) {
			lower = new int[patch];
			upper = new int[patch];
			nearest = new int[patch];
			upperWeight = new float[patch];
			double step = (double) region / patch;
			for (int i = 0; i < patch; i++) {
				// centre of output voxel i in volume coordinates (voxel centres at integers)
				double c = start + (i + 0.5) * step - 0.5;
				int floor = (int) Math.floor(c);
				double frac = c - floor;
				lower[i] = clamp(floor, size);
				upper[i] = clamp(floor + 1, size);
				upperWeight[i] = lower[i] == upper[i] ? 0f : (float) frac;
				int n = (int) Math.floor(c + 0.5);
				nearest[i] = n >= 0 && n < size ? n : -1;
			}
		}

		int length() {
			return lower.length;
		}

		private static int clamp(int i, int size) {
			return Math.max(0, Math.min(size - 1, i));
		}
	}
}
