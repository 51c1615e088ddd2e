package org.mnseg.inference;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.mnseg.data.Geometry;
import org.mnseg.data.Volume;
import org.mnseg.inference.SlidingWindow.Blending;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;

/**
 * Sliding-window prediction against real engine computations: for functions that act voxel by voxel, stitching
 * windows must give exactly what the function gives on the whole volume.
 */
public class SlidingWindowTest {
	private static NDManager manager;

	/** Two-class logits (-x, x): a genuine engine computation that works voxel by voxel. */
	private static final Function<NDArray, NDArray> NEGATE_AND_KEEP = x -> NDArrays.concat(new NDList(x.neg(), x), 1);

	@BeforeClass
	public static void engine() {
		manager = NDManager.newBaseManager();
	}

	@AfterClass
	public static void release() {
		manager.close();
	}

	@Test
	public void windowStartsCoverTheAxisAndEndAtTheVolumeEnd() {
		assertArrayEquals(new int[] { 0 }, SlidingWindow.windowStarts(3, 8, 4));
		assertArrayEquals(new int[] { 0 }, SlidingWindow.windowStarts(8, 8, 4));
		assertArrayEquals(new int[] { 0, 1 }, SlidingWindow.windowStarts(9, 8, 4));
		assertArrayEquals(new int[] { 0, 2, 4, 6 }, SlidingWindow.windowStarts(10, 4, 2));
		assertArrayEquals(new int[] { 0, 2, 4, 6, 7 }, SlidingWindow.windowStarts(11, 4, 2));
		assertArrayEquals(new int[] { 0, 1, 2, 3 }, SlidingWindow.windowStarts(6, 3, 1));
		assertArrayEquals(new int[] { 0, 4, 6 }, SlidingWindow.windowStarts(10, 4, 4));
		for (int patch = 1; patch <= 9; patch++)
			for (int stride = 1; stride <= patch; stride++)
				for (int size = 1; size <= 40; size++) {
					int[] s = SlidingWindow.windowStarts(size, patch, stride);
					assertEquals(0, s[0]);
					assertEquals(Math.max(0, size - patch), s[s.length - 1]);
					for (int i = 1; i < s.length; i++) {
						assertTrue("increasing", s[i] > s[i - 1]);
						assertTrue("no gap", s[i] - s[i - 1] <= stride);
					}
					for (int i = 0; i + 1 < s.length; i++) assertEquals("regular grid before the last window", i * stride, s[i]);
				}
	}

	@Test
	public void strideFollowsOverlap() {
		assertArrayEquals(new int[] { 2, 3, 4 }, SlidingWindow.builder(5, 6, 8).build().stride());
		assertArrayEquals(new int[] { 3, 1, 1 }, SlidingWindow.builder(10, 4, 5).overlap(0.7).build().stride());
		assertArrayEquals(new int[] { 10, 4, 5 }, SlidingWindow.builder(10, 4, 5).overlap(0).build().stride());
		assertArrayEquals(new int[] { 1, 1, 1 }, SlidingWindow.builder(10, 4, 5).overlap(0.99).build().stride());
		SlidingWindow defaults = SlidingWindow.builder(4, 4, 4).build();
		assertEquals(0.5, defaults.overlap(), 0);
		assertEquals(Blending.UNIFORM, defaults.blending());
		assertEquals(SlidingWindow.Padding.EDGE, defaults.padding());
		assertEquals(8, defaults.batchSize());
	}

	@Test
	public void badSettingsAreUserErrors() {
		for (Runnable r : new Runnable[] {
			() -> SlidingWindow.builder(4, 4).build(),
			() -> SlidingWindow.builder(4, -1, 4).build(),
			() -> SlidingWindow.builder(4, 4, 4).overlap(1),
			() -> SlidingWindow.builder(4, 4, 4).overlap(-0.1),
			() -> SlidingWindow.builder(4, 4, 4).batchSize(0) }) {
			try {
				r.run();
				fail("accepted a bad setting");
			} catch (UserError expected) {
				assertNotNull(expected.getMessage());
			}
		}
	}

	@Test
	public void gaussianWeightsAreSymmetricPositiveAndPeakAtOne() {
		double[] g = SlidingWindow.gaussianProfile(8);
		// sigma = 1, centre 3.5: the edge lies 3.5 sigma out, the peak voxels 0.5 sigma
		assertEquals(Math.exp(-6), g[0], 1e-12);
		assertEquals(1, g[3], 1e-12);
		for (int patch : new int[] { 1, 2, 7, 8, 33 }) {
			double[] p = SlidingWindow.gaussianProfile(patch);
			double max = 0;
			for (int i = 0; i < patch; i++) {
				assertTrue(p[i] > 0);
				assertEquals(p[i], p[patch - 1 - i], 1e-15);
				max = Math.max(max, p[i]);
			}
			assertEquals(1, max, 1e-15);
		}
		int px = 9, py = 6, pz = 5;
		float[] w = SlidingWindow.builder(px, py, pz).blending(Blending.GAUSSIAN).build().windowWeights();
		for (int z = 0; z < pz; z++)
			for (int y = 0; y < py; y++)
				for (int x = 0; x < px; x++) {
					float v = w[(z * py + y) * px + x];
					assertTrue(v > 0 && v <= 1);
					assertEquals(v, w[((pz - 1 - z) * py + (py - 1 - y)) * px + (px - 1 - x)], 0);
				}
		for (float v : SlidingWindow.builder(px, py, pz).build().windowWeights()) assertEquals(1f, v, 0);
	}

	@Test
	public void pointwiseFunctionStitchesToTheWholeVolumeResult() {
		// 13 x 11 x 9 with windows 6 x 5 x 4 (strides 3, 2, 2): no axis is a multiple of its stride
		Volume image = randomVolume(13, 11, 9, 1, 1);
		float[] v = image.data();
		float[][] reference = null;
		for (Blending blending : Blending.values())
			for (int batch : new int[] { 1, 8 }) {
				SlidingWindow sw = SlidingWindow.builder(6, 5, 4).blending(blending).batchSize(batch).build();
				float[][] logits = sw.predictLogits(image, NEGATE_AND_KEEP, manager);
				assertEquals(2, logits.length);
				for (int i = 0; i < v.length; i++) {
					assertEquals(-v[i], logits[0][i], 1e-6);
					assertEquals(v[i], logits[1][i], 1e-6);
				}
				if (batch == 1) reference = logits;
				else for (int k = 0; k < 2; k++) assertArrayEquals("batch 8 = batch 1 (" + blending + ")", reference[k], logits[k], 0);
			}
	}

	@Test
	public void pointwiseConvolutionWithSeveralChannelsStitchesExactly() {
		int sx = 12, sy = 10, sz = 7, channels = 2, classes = 3;
		Volume image = randomVolume(sx, sy, sz, channels, 2);
		NDArray weight = manager.create(new float[] { 0.5f, -1.5f, 2f, 0.25f, -0.75f, 1f }, new Shape(classes, channels, 1, 1, 1));
		NDArray bias = manager.create(new float[] { 0.1f, -0.2f, 0.3f });
		Function<NDArray, NDArray> conv = x -> Conv3d.conv3d(x, weight, bias).singletonOrThrow();
		float[] whole;
		try (NDManager sub = manager.newSubManager()) {
			NDArray all = sub.create(image.data(), new Shape(1, channels, sz, sy, sx));
			whole = conv.apply(all).toFloatArray();
		}
		int voxels = sx * sy * sz;
		for (Blending blending : Blending.values()) {
			float[][] batch1 = null;
			for (int batch : new int[] { 1, 8 }) {
				SlidingWindow sw = SlidingWindow.builder(5, 4, 4).overlap(0.6).blending(blending).batchSize(batch).build();
				float[][] logits = sw.predictLogits(image, conv, manager);
				assertEquals(classes, logits.length);
				for (int k = 0; k < classes; k++)
					for (int i = 0; i < voxels; i++) assertEquals(whole[k * voxels + i], logits[k][i], 1e-5);
				if (batch == 1) batch1 = logits;
				else for (int k = 0; k < classes; k++) assertArrayEquals(batch1[k], logits[k], 1e-6f);
			}
		}
	}

	@Test
	public void volumesSmallerThanTheWindowArePaddedAndCropped() {
		Volume tiny = randomVolume(5, 3, 2, 1, 3);
		for (Blending blending : Blending.values()) {
			float[][] logits = SlidingWindow.builder(8, 6, 6).blending(blending).build().predictLogits(tiny, NEGATE_AND_KEEP, manager);
			assertEquals(5 * 3 * 2, logits[1].length);
			assertArrayEquals(tiny.data(), logits[1], 1e-6f);
		}
	}

	@Test
	public void paddingModeDecidesWhatTheWindowSeesBeyondTheVolume() {
		// x is padded from 5 to 8 (1 voxel before, 2 after); y and z are longer than the window
		int sx = 5, sy = 9, sz = 7;
		Volume image = randomVolume(sx, sy, sz, 1, 4);
		float[] v = image.data();
		// logits = the input shifted by one voxel along X (wrapping inside the window): the last real voxel reads padding
		Function<NDArray, NDArray> shiftX = x -> NDArrays.concat(new NDList(x.get(":, :, :, :, 1:"), x.get(":, :, :, :, :1")), 4);
		float[] edge = SlidingWindow.builder(8, 6, 6).build().predictLogits(image, shiftX, manager)[0];
		float[] constant = SlidingWindow.builder(8, 6, 6).constantPadding(7).build().predictLogits(image, shiftX, manager)[0];
		for (int z = 0; z < sz; z++)
			for (int y = 0; y < sy; y++)
				for (int x = 0; x < sx; x++) {
					int i = (z * sy + y) * sx + x;
					float next = x + 1 < sx ? v[i + 1] : v[i]; // edge padding repeats the last voxel
					assertEquals(next, edge[i], 1e-6);
					assertEquals(x + 1 < sx ? v[i + 1] : 7f, constant[i], 1e-6);
				}
	}

	@Test
	public void overlappingWindowsAverageTheirContributions() {
		// every voxel encodes its position, so a window's first voxel tells where the window starts; the predictor
		// answers that code everywhere in the window: a window-dependent constant
		int sx = 17, sy = 14, sz = 11, px = 8, py = 6, pz = 4;
		Volume image = coordinateVolume(sx, sy, sz);
		Function<NDArray, NDArray> windowCode = x -> x.zerosLike().add(x.get(":, :, 0:1, 0:1, 0:1"));
		for (Blending blending : Blending.values()) {
			SlidingWindow sw = SlidingWindow.builder(px, py, pz).blending(blending).batchSize(3).build();
			float[] got = sw.predictLogits(image, windowCode, manager)[0];
			int[] stride = sw.stride();
			int[] xs = SlidingWindow.windowStarts(sx, px, stride[0]), ys = SlidingWindow.windowStarts(sy, py, stride[1]),
				zs = SlidingWindow.windowStarts(sz, pz, stride[2]);
			double[] gx = SlidingWindow.gaussianProfile(px), gy = SlidingWindow.gaussianProfile(py), gz = SlidingWindow.gaussianProfile(pz);
			for (int z = 0; z < sz; z++)
				for (int y = 0; y < sy; y++)
					for (int x = 0; x < sx; x++) {
						double sum = 0, weights = 0;
						int covering = 0;
						for (int wz : zs)
							for (int wy : ys)
								for (int wx : xs) {
									if (x < wx || x >= wx + px || y < wy || y >= wy + py || z < wz || z >= wz + pz) continue;
									double w = blending == Blending.UNIFORM ? 1 : gx[x - wx] * gy[y - wy] * gz[z - wz];
									sum += w * code(wx, wy, wz);
									weights += w;
									covering++;
								}
						assertTrue(covering > 0);
						assertEquals(blending + " at " + x + "," + y + "," + z, sum / weights, got[(z * sy + y) * sx + x], 2e-3);
					}
		}
	}

	@Test
	public void progressCountsWindowsAndBatchMemoryIsReleased() {
		Volume image = randomVolume(10, 8, 6, 1, 5);
		List<int[]> calls = new ArrayList<>();
		List<NDArray> inputs = new ArrayList<>();
		// 10 x 8 x 6 with 4 x 4 x 4, stride 2: 4 x 3 x 2 = 24 windows in batches of 5
		SlidingWindow sw = SlidingWindow.builder(4, 4, 4).batchSize(5).progress((done, total) -> calls.add(new int[] { done, total })).build();
		sw.predictLogits(image, x -> {
			inputs.add(x);
			return NEGATE_AND_KEEP.apply(x);
		}, manager);
		int[] expectedDone = { 5, 10, 15, 20, 24 };
		assertEquals(expectedDone.length, calls.size());
		for (int i = 0; i < calls.size(); i++) assertArrayEquals(new int[] { expectedDone[i], 24 }, calls.get(i));
		assertEquals(5, inputs.size());
		assertArrayEquals(new long[] { 4, 1, 4, 4, 4 }, inputs.get(4).getShape().getShape());
		for (NDArray in : inputs) assertTrue("batch arrays are freed with their sub-manager", in.isReleased());
	}

	@Test
	public void cancellationStopsBetweenBatches() {
		Volume image = randomVolume(10, 8, 6, 1, 6);
		int[] batches = { 0 };
		SlidingWindow sw = SlidingWindow.builder(4, 4, 4).batchSize(5).cancelWhen(() -> batches[0] >= 2).build();
		try {
			sw.predictLogits(image, x -> {
				batches[0]++;
				return NEGATE_AND_KEEP.apply(x);
			}, manager);
			fail("not cancelled");
		} catch (CancellationException expected) {
			assertEquals(2, batches[0]);
		}
	}

	@Test
	public void segmentTakesTheArgmaxAndSoftmax() {
		Geometry geometry = new Geometry(new double[] { 0.5, 0.7, 2 }, null);
		Volume image = randomVolume(9, 7, 5, 1, 7).withGeometry(geometry);
		float[] v = image.data();
		v[3] = 0; // a tie goes to the lower class
		SlidingWindow sw = SlidingWindow.builder(4, 4, 4).build();
		Segmentation seg = sw.segment(image, NEGATE_AND_KEEP, manager, true);
		assertArrayEquals(new int[] { 9, 7, 5 }, seg.labels().shape());
		assertArrayEquals(geometry.spacing(), seg.labels().geometry().spacing(), 0);
		for (int i = 0; i < v.length; i++) {
			assertEquals(v[i] > 0 ? 1 : 0, seg.labels().label(i));
			double p1 = 1 / (1 + Math.exp(-2.0 * v[i]));
			assertEquals(p1, seg.probabilities()[1][i], 1e-6);
			assertEquals(1 - p1, seg.probabilities()[0][i], 1e-6);
		}
		assertNull(sw.segment(image, NEGATE_AND_KEEP, manager, false).probabilities());
	}

	@Test(expected = UserError.class)
	public void aNetworkThatChangesTheWindowSizeIsReported() {
		SlidingWindow.builder(4, 4, 4).build().predictLogits(randomVolume(6, 6, 6, 1, 8), x -> x.get(":, :, 1:, :, :"), manager);
	}

	private static float code(int x, int y, int z) {
		return x + 32 * y + 1024 * z;
	}

	private static Volume coordinateVolume(int sx, int sy, int sz) {
		float[] data = new float[sx * sy * sz];
		for (int z = 0, i = 0; z < sz; z++)
			for (int y = 0; y < sy; y++)
				for (int x = 0; x < sx; x++) data[i++] = code(x, y, z);
		return Volume.wrap(data, new long[] { sx, sy, sz }, Geometry.unit());
	}

	private static Volume randomVolume(int sx, int sy, int sz, int channels, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		float[] data = new float[sx * sy * sz * channels];
		for (int i = 0; i < data.length; i++) data[i] = (float) (2 * r.nextDouble() - 1);
		long[] dims = channels == 1 ? new long[] { sx, sy, sz } : new long[] { sx, sy, sz, channels };
		return Volume.wrap(data, dims, Geometry.unit());
	}
}
