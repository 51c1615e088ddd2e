package org.mnseg.nn;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertSame;

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
}
