package org.mnseg.testutil;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.io.VolumeIO;

/**
 * Writes a small folder-layout data set ({@code images/}, {@code labels/}, {@code unlabeled/}) of noisy volumes,
 * each with a bright ball (class 1) and a dimmer box (class 2) at random places, so that training and segmentation
 * tests run anywhere, without the shared data folder.
 */
public final class SyntheticDataset {
	private SyntheticDataset() {}

	public static final int[] SHAPE = { 24, 20, 16 };

	public static Path write(Path dir, int labeled, int unlabeled, long seed) {
		return write(dir, labeled, unlabeled, 0, seed);
	}

	/** Also writes {@code test} labeled cases under {@code test/images} and {@code test/labels}. */
	public static Path write(Path dir, int labeled, int unlabeled, int test, long seed) {
		for (int t = 0; t < test; t++) {
			SplittableRandom rng = new SplittableRandom(seed * 1000 + 500 + t);
			float[] image = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
			byte[] labels = new byte[image.length];
			fill(image, labels, rng);
			Geometry g = new Geometry(new double[] { 1.0, 1.0, 2.0 }, null);
			String id = String.format("test%02d", t);
			VolumeIO.writeImage(Volume.wrap(image, new long[] { SHAPE[0], SHAPE[1], SHAPE[2] }, g), dir.resolve("test/images").resolve(id + ".nii.gz"));
			VolumeIO.writeLabels(LabelVolume.wrap(labels, SHAPE, g), dir.resolve("test/labels").resolve(id + ".nii.gz"));
		}
		for (int i = 0; i < labeled + unlabeled; i++) {
			SplittableRandom rng = new SplittableRandom(seed * 1000 + i);
			float[] image = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
			byte[] labels = new byte[image.length];
			fill(image, labels, rng);
			String id = String.format("case%02d", i);
			Geometry g = new Geometry(new double[] { 1.0, 1.0, 2.0 }, null);
			boolean isLabeled = i < labeled;
			VolumeIO.writeImage(Volume.wrap(image, new long[] { SHAPE[0], SHAPE[1], SHAPE[2] }, g),
				dir.resolve(isLabeled ? "images" : "unlabeled").resolve(id + ".nii.gz"));
			if (isLabeled) VolumeIO.writeLabels(LabelVolume.wrap(labels, SHAPE, g), dir.resolve("labels").resolve(id + ".nii.gz"));
		}
		return dir;
	}

	/** One volume: noise, a ball of radius 4-5 (class 1, intensity ~2) and a 4x4x3 box (class 2, intensity ~1). */
	public static void fill(float[] image, byte[] labels, SplittableRandom rng) {
		int nx = SHAPE[0], ny = SHAPE[1], nz = SHAPE[2];
		double r = 4 + rng.nextDouble();
		int cx = 6 + rng.nextInt(nx - 12), cy = 6 + rng.nextInt(ny - 12), cz = 5 + rng.nextInt(nz - 10);
		int bx = rng.nextInt(nx - 4), by = rng.nextInt(ny - 4), bz = rng.nextInt(nz - 3);
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					int i = (z * ny + y) * nx + x;
					float v = (float) (rng.nextGaussian() * 0.3);
					if (x >= bx && x < bx + 4 && y >= by && y < by + 4 && z >= bz && z < bz + 3) {
						v += 1f;
						labels[i] = 2;
					}
					double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
					if (d2 <= r * r) {
						v += 2f;
						labels[i] = 1;
					}
					image[i] = v;
				}
	}
}
