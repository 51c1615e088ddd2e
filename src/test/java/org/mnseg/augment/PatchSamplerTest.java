package org.mnseg.augment;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.Test;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.util.UserError;

public class PatchSamplerTest {

	/** Value of a voxel in {@link #coordinateVolume}: every voxel tells where (and in which channel) it lies. */
	private static float code(int c, int x, int y, int z) {
		return c * 1_000_000 + z * 10_000 + y * 100 + x;
	}

	private static Volume coordinateVolume(int sx, int sy, int sz, int channels) {
		float[] data = new float[sx * sy * sz * channels];
		int i = 0;
		for (int c = 0; c < channels; c++)
			for (int z = 0; z < sz; z++)
				for (int y = 0; y < sy; y++)
					for (int x = 0; x < sx; x++) data[i++] = code(c, x, y, z);
		long[] dims = channels == 1 ? new long[] { sx, sy, sz } : new long[] { sx, sy, sz, channels };
		return Volume.wrap(data, dims, Geometry.unit());
	}

	private static AugmentationConfig plain(int... patch) {
		return AugmentationConfig.builder(patch).zoom(false).gamma(false).build();
	}

	@Test
	public void cropIsATrueSubBlockInAxisOrder() {
		int sx = 20, sy = 17, sz = 13, channels = 2;
		Volume image = coordinateVolume(sx, sy, sz, channels);
		byte[] labels = new byte[sx * sy * sz];
		for (int z = 0, i = 0; z < sz; z++)
			for (int y = 0; y < sy; y++)
				for (int x = 0; x < sx; x++) labels[i++] = (byte) ((x + 2 * y + 3 * z) % 5);
		LabelVolume label = LabelVolume.wrap(labels, new int[] { sx, sy, sz }, Geometry.unit());
		int px = 7, py = 5, pz = 4;
		SplittableRandom rng = new SplittableRandom(3);
		for (int draw = 0; draw < 50; draw++) {
			Patch p = PatchSampler.sample(image, label, null, plain(px, py, pz), rng);
			assertArrayEquals(new int[] { px, py, pz }, p.shape());
			assertEquals(channels, p.channels());
			assertEquals(channels * px * py * pz, p.image().length);
			float first = p.image()[0];
			int x0 = (int) first % 100, y0 = (int) first / 100 % 100, z0 = (int) first / 10_000;
			assertTrue(x0 + px <= sx && y0 + py <= sy && z0 + pz <= sz);
			int i = 0;
			for (int c = 0; c < channels; c++)
				for (int z = 0; z < pz; z++)
					for (int y = 0; y < py; y++)
						for (int x = 0; x < px; x++, i++) {
							assertEquals(code(c, x0 + x, y0 + y, z0 + z), p.image()[i], 0);
							if (c == 0) assertEquals((x0 + x + 2 * (y0 + y) + 3 * (z0 + z)) % 5, p.labels()[i]);
						}
		}
	}

	@Test
	public void foregroundFractionMatchesTheConfiguredProbability() {
		int s = 40;
		Volume image = coordinateVolume(s, s, s, 1);
		// a 2x2x2 blob in a corner: a uniformly placed 8^3 crop almost never reaches it (p < 3e-4), and nearest
		// resampling that skips at most one voxel per step cannot lose a 2-voxel-wide blob
		byte[] labels = new byte[s * s * s];
		for (int z = 0; z < 2; z++)
			for (int y = 0; y < 2; y++)
				for (int x = 0; x < 2; x++) labels[(z * s + y) * s + x] = 1;
		LabelVolume label = LabelVolume.wrap(labels, new int[] { s, s, s }, Geometry.unit());
		int draws = 2000;
		for (double p : new double[] { 0.5, 0.2, 0 }) {
			// zoom and gamma stay on: the promise must hold after zoom too
			AugmentationConfig cfg = AugmentationConfig.builder(8, 8, 8).foregroundProbability(p).build();
			SplittableRandom rng = new SplittableRandom(11);
			int withForeground = 0;
			for (int d = 0; d < draws; d++) {
				Patch patch = PatchSampler.sample(image, label, null, cfg, rng);
				for (byte b : patch.labels())
					if (b != 0) {
						withForeground++;
						break;
					}
			}
			double fraction = (double) withForeground / draws;
			// binomial standard error; 5 sigma plus the chance hits of uniform crops
			double bound = 5 * Math.sqrt(p * (1 - p) / draws) + 0.002;
			assertEquals("foreground fraction for p=" + p, p, fraction, bound);
		}
	}

	@Test
	public void explicitMaskDecidesWhereForegroundIsForUnlabeledVolumes() {
		int s = 30;
		Volume image = coordinateVolume(s, s, s, 1);
		byte[] mask = new byte[s * s * s];
		int fx = 25, fy = 3, fz = 27;
		mask[(fz * s + fy) * s + fx] = 1;
		AugmentationConfig cfg = AugmentationConfig.builder(6, 6, 6).zoom(false).gamma(false).foregroundProbability(1).build();
		SplittableRandom rng = new SplittableRandom(5);
		for (int d = 0; d < 30; d++) {
			Patch p = PatchSampler.sample(image, null, mask, cfg, rng);
			assertNull(p.labels());
			float first = p.image()[0];
			int x0 = (int) first % 100, y0 = (int) first / 100 % 100, z0 = (int) first / 10_000;
			assertTrue("crop at " + x0 + "," + y0 + "," + z0 + " misses the masked voxel",
				fx >= x0 && fx < x0 + 6 && fy >= y0 && fy < y0 + 6 && fz >= z0 && fz < z0 + 6);
		}
	}

	@Test
	public void sameSeedGivesIdenticalPatches() {
		Volume image = randomVolume(23, 19, 15, 1, 7);
		LabelVolume label = randomLabels(23, 19, 15, new int[] { 0, 1, 2 }, 8);
		AugmentationConfig cfg = AugmentationConfig.builder(9, 8, 7).build();
		SplittableRandom a = new SplittableRandom(42), b = new SplittableRandom(42), other = new SplittableRandom(43);
		boolean anyDifferent = false;
		for (int d = 0; d < 20; d++) {
			Patch pa = PatchSampler.sample(image, label, null, cfg, a);
			Patch pb = PatchSampler.sample(image, label, null, cfg, b);
			Patch po = PatchSampler.sample(image, label, null, cfg, other);
			assertArrayEquals(pa.image(), pb.image(), 0);
			assertArrayEquals(pa.labels(), pb.labels());
			anyDifferent |= !Arrays.equals(pa.image(), po.image());
		}
		assertTrue("another seed should give other patches", anyDifferent);
	}

	@Test
	public void zoomOfOneEqualsThePlainCrop() {
		Volume image = randomVolume(21, 18, 16, 2, 1);
		LabelVolume label = randomLabels(21, 18, 16, new int[] { 0, 1, 4 }, 2);
		AugmentationConfig unit = AugmentationConfig.builder(8, 7, 6).zoom(1, 1).gamma(false).build();
		AugmentationConfig off = plain(8, 7, 6);
		SplittableRandom a = new SplittableRandom(9), b = new SplittableRandom(9);
		for (int d = 0; d < 20; d++) {
			Patch pa = PatchSampler.sample(image, label, null, unit, a);
			Patch pb = PatchSampler.sample(image, label, null, off, b);
			assertArrayEquals(pb.image(), pa.image(), 0);
			assertArrayEquals(pb.labels(), pa.labels());
		}
	}

	@Test
	public void zoomResamplesARegionOfPatchOverScaleVoxels() {
		// trilinear interpolation reproduces a linear image exactly, so with s = 0.5 the patch steps by 2 voxels
		Volume image = coordinateVolume(30, 30, 30, 1);
		AugmentationConfig cfg = AugmentationConfig.builder(6, 5, 4).zoom(0.5, 0.5).gamma(false).build();
		SplittableRandom rng = new SplittableRandom(4);
		for (int d = 0; d < 10; d++) {
			Patch p = PatchSampler.sample(image, null, null, cfg, rng);
			float[] v = p.image();
			for (int z = 0, i = 0; z < 4; z++)
				for (int y = 0; y < 5; y++)
					for (int x = 0; x < 6; x++, i++) {
						// output voxel centre i maps to start + 2i + 0.5 in the source
						assertEquals(v[0] + 2 * x + 200 * y + 20_000 * z, v[i], 1e-2);
					}
			// the region (12 x 10 x 8) lies inside the volume
			// first centre = start + 0.5 on every axis
			int origin = Math.round(v[0] - code(0, 0, 0, 0) - 0.5f * (1 + 100 + 10_000));
			int x0 = origin % 100, y0 = origin / 100 % 100, z0 = origin / 10_000;
			assertTrue(x0 >= 0 && x0 + 12 <= 30 && y0 >= 0 && y0 + 10 <= 30 && z0 >= 0 && z0 + 8 <= 30);
		}
	}

	@Test
	public void nearestNeighbourLabelsKeepOnlyExistingClasses() {
		int[] classes = { 0, 3, 7 };
		Volume image = randomVolume(25, 22, 20, 1, 12);
		LabelVolume label = randomLabels(25, 22, 20, classes, 13);
		AugmentationConfig cfg = AugmentationConfig.builder(10, 9, 8).zoom(0.7, 1.3).build();
		SplittableRandom rng = new SplittableRandom(14);
		boolean[] seen = new boolean[256];
		for (int d = 0; d < 40; d++)
			for (byte b : PatchSampler.sample(image, label, null, cfg, rng).labels()) seen[b & 0xff] = true;
		for (int c = 0; c < 256; c++)
			assertEquals("class " + c, c == 0 || c == 3 || c == 7, seen[c]);
	}

	@Test
	public void smallVolumesArePaddedWithEdgeValuesAndBackground() {
		int sx = 5, sy = 20, sz = 3;
		Volume image = coordinateVolume(sx, sy, sz, 1);
		byte[] ones = new byte[sx * sy * sz];
		Arrays.fill(ones, (byte) 1);
		LabelVolume label = LabelVolume.wrap(ones, new int[] { sx, sy, sz }, Geometry.unit());
		int px = 8, py = 6, pz = 6;
		SplittableRandom rng = new SplittableRandom(21);
		for (int d = 0; d < 10; d++) {
			Patch p = PatchSampler.sample(image, label, null, plain(px, py, pz), rng);
			int y0 = (int) p.image()[0] / 100 % 100;
			// the volume is centred: (8-5)/2 = 1 voxel before along x, (6-3)/2 = 1 before along z
			for (int z = 0, i = 0; z < pz; z++)
				for (int y = 0; y < py; y++)
					for (int x = 0; x < px; x++, i++) {
						int vx = x - 1, vz = z - 1;
						boolean inside = vx >= 0 && vx < sx && vz >= 0 && vz < sz;
						float expected = code(0, Math.max(0, Math.min(sx - 1, vx)), y0 + y, Math.max(0, Math.min(sz - 1, vz)));
						assertEquals(expected, p.image()[i], 0);
						assertEquals(inside ? 1 : 0, p.labels()[i]);
					}
		}
	}

	@Test
	public void gammaKeepsEachChannelsMinimumAndMaximum() {
		Volume image = randomVolume(16, 16, 16, 2, 30);
		float[] data = image.data();
		for (int i = 16 * 16 * 16; i < data.length; i++) data[i] = data[i] * 50 - 20; // other range in channel 2
		AugmentationConfig withGamma = AugmentationConfig.builder(8, 8, 8).zoom(false).gamma(0.5, 0.5).build();
		SplittableRandom a = new SplittableRandom(31), b = new SplittableRandom(31);
		Patch g = PatchSampler.sample(image, null, null, withGamma, a);
		Patch raw = PatchSampler.sample(image, null, null, plain(8, 8, 8), b);
		int n = 8 * 8 * 8;
		boolean changed = false;
		for (int c = 0; c < 2; c++) {
			float[] r = Arrays.copyOfRange(raw.image(), c * n, (c + 1) * n), o = Arrays.copyOfRange(g.image(), c * n, (c + 1) * n);
			float min = min(r), max = max(r);
			assertEquals(min, min(o), 0);
			assertEquals(max, max(o), 0);
			for (int i = 0; i < n; i++) {
				double expected = Math.sqrt((r[i] - min) / ((double) max - min)) * (max - min) + min;
				assertEquals(expected, o[i], 1e-5 * (max - min));
				changed |= Math.abs(o[i] - r[i]) > 1e-3 * (max - min);
			}
		}
		assertTrue(changed);
	}

	@Test
	public void badSettingsAreUserErrors() {
		for (Runnable r : new Runnable[] {
			() -> AugmentationConfig.builder(8, 8).build(),
			() -> AugmentationConfig.builder(8, 0, 8).build(),
			() -> AugmentationConfig.builder(8, 8, 8).foregroundProbability(1.5),
			() -> AugmentationConfig.builder(8, 8, 8).zoom(1.1, 0.9),
			() -> AugmentationConfig.builder(8, 8, 8).gamma(0, 1) }) {
			try {
				r.run();
				fail("accepted a bad setting");
			} catch (UserError expected) {
				assertNotNull(expected.getMessage());
			}
		}
		AugmentationConfig defaults = AugmentationConfig.builder(4, 5, 6).build();
		assertEquals(0.5, defaults.foregroundProbability(), 0);
		assertTrue(defaults.zoom() && defaults.gamma());
		assertEquals(0.9, defaults.zoomMin(), 0);
		assertEquals(1.2, defaults.gammaMax(), 0);
		assertFalse(plain(4, 5, 6).zoom());
	}

	@Test(expected = UserError.class)
	public void labelsOnAnotherGridAreRejected() {
		PatchSampler.sample(randomVolume(8, 8, 8, 1, 1), randomLabels(8, 8, 9, new int[] { 0, 1 }, 1), null, plain(4, 4, 4),
			new SplittableRandom(1));
	}

	private static Volume randomVolume(int sx, int sy, int sz, int channels, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		float[] data = new float[sx * sy * sz * channels];
		for (int i = 0; i < data.length; i++) data[i] = (float) r.nextDouble();
		long[] dims = channels == 1 ? new long[] { sx, sy, sz } : new long[] { sx, sy, sz, channels };
		return Volume.wrap(data, dims, Geometry.unit());
	}

	private static LabelVolume randomLabels(int sx, int sy, int sz, int[] classes, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		byte[] data = new byte[sx * sy * sz];
		for (int i = 0; i < data.length; i++) data[i] = (byte) classes[r.nextInt(classes.length)];
		return LabelVolume.wrap(data, new int[] { sx, sy, sz }, Geometry.unit());
	}

	private static float min(float[] v) {
		float m = Float.POSITIVE_INFINITY;
		for (float f : v) m = Math.min(m, f);
		return m;
	}

	private static float max(float[] v) {
		float m = Float.NEGATIVE_INFINITY;
		for (float f : v) m = Math.max(m, f);
		return m;
	}
}
