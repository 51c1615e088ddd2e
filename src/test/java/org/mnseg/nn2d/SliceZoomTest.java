package org.mnseg.nn2d;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

public class SliceZoomTest {
	@Test
	public void shrinkAveragesEachBlock() {
		try (NDManager m = NDManager.newBaseManager()) {
			// 1 x 1 x 2 x 4, blocks of 2 x 2: {0,1,4,5} and {2,3,6,7}
			NDArray x = m.arange(0f, 8f).reshape(1, 1, 2, 4);
			NDArray y = SliceZoom.shrink(x, 2);
			assertEquals(new Shape(1, 1, 1, 2), y.getShape());
			assertArrayEquals(new float[] { 2.5f, 4.5f }, y.toFloatArray(), 1e-6f);
		}
	}

	@Test
	public void enlargeThenShrinkKeepsAConstantAndTheSize() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray x = m.full(new Shape(2, 3, 5, 7), 1.5f);
			NDArray big = SliceZoom.enlarge(x, 3);
			assertEquals(new Shape(2, 3, 15, 21), big.getShape());
			NDArray back = SliceZoom.shrink(big, 3);
			assertEquals(x.getShape(), back.getShape());
			assertEquals(0f, back.sub(x).abs().max().getFloat(), 1e-6f);
		}
	}

	@Test
	public void inputDivisorAccountsForTheFactor() {
		assertEquals(16, SliceZoom.inputDivisor(16, 1));
		assertEquals(8, SliceZoom.inputDivisor(16, 2));
		assertEquals(16, SliceZoom.inputDivisor(16, 3));
		assertEquals(8, SliceZoom.inputDivisor(32, 4));
	}
}
