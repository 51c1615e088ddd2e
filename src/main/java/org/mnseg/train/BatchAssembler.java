package org.mnseg.train;

import java.util.List;
import java.util.SplittableRandom;

import org.mnseg.augment.AugmentationConfig;
import org.mnseg.augment.Patch;
import org.mnseg.augment.PatchSampler;
import org.mnseg.data.Sample;

/**
 * Cuts a batch of augmented patches from in-memory volumes. Each slot's randomness comes from
 * (seed, stream, epoch, step, slot), so a resumed run rebuilds identical batches.
 */
public final class BatchAssembler {
	/** A batch in tensor layout: images N x C x Z x Y x X, labels N x Z x Y x X (null for unlabeled patches). */
	public record Batch(float[] images, byte[] labels, long[] imageShape) {
		public int size() {
			return (int) imageShape[0];
		}
	}

	private final AugmentationConfig augmentation;
	private final long seed;

	public BatchAssembler(AugmentationConfig augmentation, long seed) {
		this.augmentation = augmentation;
		this.seed = seed;
	}

	/**
	 * @param stream separates independent uses of the same (epoch, step) (labeled / unlabeled, 2-D / 3-D model)
	 */
	public Batch assemble(List<Sample> samples, int count, long stream, int epoch, int step) {
		return assemble(samples, null, count, stream, epoch, step);
	}

	/**
	 * @param foregroundMaps per sample, where its foreground is (for unlabeled volumes: the 3-D model's latest
	 *            prediction); null entries or a null list fall back to the labels
	 */
	public Batch assemble(List<Sample> samples, List<byte[]> foregroundMaps, int count, long stream, int epoch, int step) {
		int[] p = augmentation.patchSize();
		if (count == 0 || samples.isEmpty()) return new Batch(new float[0], null, new long[] { 0, 1, p[2], p[1], p[0] });
		int channels = samples.get(0).image().channels();
		int voxels = p[0] * p[1] * p[2];
		float[] images = new float[count * channels * voxels];
		boolean labeled = samples.get(0).label() != null;
		byte[] labels = labeled ? new byte[count * voxels] : null;
		for (int slot = 0; slot < count; slot++) {
			SplittableRandom rng = StepRandom.of(seed, stream, epoch, step, slot);
			int pick = rng.nextInt(samples.size());
			Sample s = samples.get(pick);
			byte[] fg = foregroundMaps == null ? null : foregroundMaps.get(pick);
			Patch patch = PatchSampler.sample(s.image(), s.label(), fg, augmentation, rng);
			System.arraycopy(patch.image(), 0, images, slot * channels * voxels, channels * voxels);
			if (labeled) System.arraycopy(patch.labels(), 0, labels, slot * voxels, voxels);
		}
		return new Batch(images, labels, new long[] { count, channels, p[2], p[1], p[0] });
	}
}
