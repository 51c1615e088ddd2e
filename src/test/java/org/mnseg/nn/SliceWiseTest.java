package org.mnseg.nn;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** 2.5-D input: each slice with its two neighbours as the three channels of a 2-D network. */
public class SliceWiseTest {
	@Test
	public void neighboursAreTheSlicesAboveAndBelowWithTheEndsRepeated() {
		try (NDManager m = NDManager.newBaseManager()) {
			// one volume, 1 channel, Z = 3, Y = 1, X = 2: slice z holds values 10z, 10z + 1
			NDArray v = m.create(new float[] { 0, 1, 10, 11, 20, 21 }, new Shape(1, 1, 3, 1, 2));
			NDArray n = SliceWise.neighbours(v);
			assertArrayEquals(new long[] { 1, 3, 3, 1, 2 }, n.getShape().getShape());
			assertArrayEquals(new float[] {
				0, 1, 0, 1, 10, 11, // channel 0: z-1 (the first slice stands in for the one before it)
				0, 1, 10, 11, 20, 21, // channel 1: z
				10, 11, 20, 21, 20, 21 }, // channel 2: z+1
				n.toFloatArray(), 0f);
			NDArray single = SliceWise.neighbours(m.create(new float[] { 5, 6 }, new Shape(1, 1, 1, 1, 2)));
			assertArrayEquals(new float[] { 5, 6, 5, 6, 5, 6 }, single.toFloatArray(), 0f);
		}
	}

	@Test
	public void onlyThreeChannel2dNetworksGiven1ChannelVolumesTakeNeighbours() {
		try (NDManager m = NDManager.newBaseManager(); Network unet = new UNet3D(m, 1, 2, 2, 4, 1)) {
			NDArray v = m.create(new float[8], new Shape(1, 1, 2, 2, 2));
			assertSame(v, SliceWise.input(unet, v));
		}
	}

	/** The row-ramp network of {@link SliceViewsTest}, noting how many slices each forward pass is given. */
	private static final class CountingRamp extends SliceViewsTest.RowRamp {
		final List<Long> slicesPerPass = new ArrayList<>();

		CountingRamp(NDManager parent) {
			super(parent);
		}

		@Override
		public NDArray forward(NDArray input, boolean training) {
			slicesPerPass.add(input.getShape().get(0));
			return super.forward(input, training);
		}
	}

	@Test
	public void predictionGivesA2dNetworkOneWindowAtATimeAndKeepsNothingButTheLogits() {
		for (SliceViews views : new SliceViews[] { SliceViews.AXIAL, SliceViews.ALL }) {
			try (NDManager m = NDManager.newBaseManager(); CountingRamp net = new CountingRamp(m); NDManager batch = m.newSubManager()) {
				NDArray windows = batch.arange(0f, 3 * 4 * 3 * 5f).div(60f).reshape(3, 1, 4, 3, 5); // 3 windows, Z = 4
				NDArray whole = SliceWise.forward(net, windows, false, views, 0);
				net.slicesPerPass.clear();
				int before = OpsTest.count(batch);

				NDArray logits = SliceWise.predict(net, windows, views, 0);

				assertEquals("only the logits stay with the batch", before + 1, OpsTest.count(batch));
				assertArrayEquals(whole.getShape().getShape(), logits.getShape().getShape());
				assertArrayEquals(whole.toFloatArray(), logits.toFloatArray(), 0f);
				// a window's slices per pass: Z = 4 axial, then (views ALL) Y = 3 coronal and X = 5 sagittal
				List<Long> perWindow = views == SliceViews.AXIAL ? List.of(4L) : List.of(4L, 3L, 5L);
				List<Long> expected = new ArrayList<>();
				for (int w = 0; w < 3; w++) expected.addAll(perWindow);
				assertEquals(expected, net.slicesPerPass);
			}
		}
	}

	@Test
	public void predictionInPassesGivesTheSameLogitsAFewSlicesAtATime() {
		for (SliceViews views : new SliceViews[] { SliceViews.AXIAL, SliceViews.ALL }) {
			try (NDManager m = NDManager.newBaseManager(); CountingRamp net = new CountingRamp(m); NDManager batch = m.newSubManager()) {
				NDArray windows = batch.arange(0f, 3 * 4 * 3 * 5f).div(60f).reshape(3, 1, 4, 3, 5);
				NDArray whole = SliceWise.predict(net, windows, views, 0);
				net.slicesPerPass.clear();
				int before = OpsTest.count(batch);

				NDArray logits = SliceWise.predict(net, windows, views, 2);

				assertEquals("only the logits stay with the batch", before + 1, OpsTest.count(batch));
				assertArrayEquals(whole.toFloatArray(), logits.toFloatArray(), 0f);
				// at most 2 slices per pass: Z = 4 axial as 2 + 2, then (views ALL) Y = 3 as 2 + 1 and X = 5 as 2 + 2 + 1
				List<Long> perWindow = views == SliceViews.AXIAL ? List.of(2L, 2L) : List.of(2L, 2L, 2L, 1L, 2L, 2L, 1L);
				List<Long> expected = new ArrayList<>();
				for (int w = 0; w < 3; w++) expected.addAll(perWindow);
				assertEquals(expected, net.slicesPerPass);
			}
		}
	}
}
