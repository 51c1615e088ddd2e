package org.mnseg.nn;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

public class LinearResizeTest {

	@Test
	public void asymmetricModeSamplesAtDestTimesScale() {
		// TF legacy: output sample o reads input coordinate o * in / out; 4 -> 8 along one axis
		float[] r = LinearResize.matrix(4, 8, LinearResize.Mode.ASYMMETRIC);
		// o = 3 -> src 1.5: half of input 1, half of input 2
		assertEquals(0.5f, r[3 * 4 + 1], 1e-6);
		assertEquals(0.5f, r[3 * 4 + 2], 1e-6);
		// o = 7 -> src 3.5: clamped to the last input
		assertEquals(1f, r[7 * 4 + 3], 1e-6);
	}

	@Test
	public void resizesTheMiddleAxisAloneAndItsGradientCountsEachInputsWeights() {
		try (NDManager m = NDManager.newBaseManager()) {
			// 1 x 2 x 1 (x, then 10x): the middle axis goes 2 -> 4 at half-pixel centres, [a, b] -> [a, 3a/4 + b/4, a/4 + 3b/4, b]
			NDArray x = m.create(new float[] { 4, 40, 8, 80 }, new Shape(1, 2, 2));
			x.setRequiresGradient(true);
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				NDArray y = LinearResize.along(x, 1, 4, LinearResize.Mode.HALF_PIXEL);
				assertEquals(new Shape(1, 4, 2), y.getShape());
				assertArrayEquals(new float[] { 4, 40, 5, 50, 7, 70, 8, 80 }, y.toFloatArray(), 1e-6f);
				gc.backward(y.sum());
			}
			// each input's weights over the outputs sum to 2 (the matrix's columns): 1 + 3/4 + 1/4
			assertArrayEquals(new float[] { 2, 2, 2, 2 }, x.getGradient().toFloatArray(), 1e-6f);
		}
	}
}
