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
		int[] p = augmentation.patchSize();
		int channels = samples.get(0).image().channels();
		int voxels = p[0] * p[1] * p[2];
		float[] images = new float[count * channels * voxels];
		boolean labeled = samples.get(0).label() != null;
		byte[] labels = labeled ? new byte[count * voxels] : null;
		for (int slot = 0; slot < count; slot++) {
			SplittableRandom rng = StepRandom.of(seed, stream, epoch, step, slot);
			Sample s = samples.get(rng.nextInt(samples.size()));
			Patch patch = PatchSampler.sample(s.image(), s.label(), null, augmentation, rng);
			System.arraycopy(patch.image(), 0, images, slot * channels * voxels, channels * voxels);
			if (labeled) System.arraycopy(patch.labels(), 0, labels, slot * voxels, voxels);
		}
		return new Batch(images, labels, new long[] { count, channels, p[2], p[1], p[0] });
	}
}
