package org.mnseg.metrics;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class SurfaceTest {

	private static int index(int[] shape, int x, int y, int z) {
		return x + shape[0] * (y + shape[1] * z);
	}

	private static int count(boolean[] flags) {
		int n = 0;
		for (boolean b : flags) if (b) n++;
		return n;
	}

	@Test
	public void singleVoxelIsItsOwnSurface() {
		int[] shape = { 5, 5, 5 };
		boolean[] mask = new boolean[125];
		mask[index(shape, 2, 3, 1)] = true;
		boolean[] surface = Surface.of(mask, shape);
		assertEquals(1, count(surface));
		assertEquals(true, surface[index(shape, 2, 3, 1)]);
	}

	@Test
	public void fullImageMaskHasTheImageBorderAsSurface() {
		// outside the image counts as background, so exactly the border voxels are surface
		int[] shape = { 6, 5, 4 };
		boolean[] mask = new boolean[6 * 5 * 4];
		java.util.Arrays.fill(mask, true);
		boolean[] surface = Surface.of(mask, shape);
		for (int z = 0; z < 4; z++)
			for (int y = 0; y < 5; y++)
				for (int x = 0; x < 6; x++) {
					boolean border = x == 0 || x == 5 || y == 0 || y == 4 || z == 0 || z == 3;
					assertEquals(x + "," + y + "," + z, border, surface[index(shape, x, y, z)]);
				}
		assertEquals(6 * 5 * 4 - 4 * 3 * 2, count(surface));
	}

	@Test
	public void cubeInteriorIsNotSurfaceAndDiagonalContactDoesNotCount() {
		int[] shape = { 7, 7, 7 };
		boolean[] mask = new boolean[343];
		for (int z = 1; z <= 5; z++)
			for (int y = 1; y <= 5; y++)
				for (int x = 1; x <= 5; x++) mask[index(shape, x, y, z)] = true;
		boolean[] surface = Surface.of(mask, shape);
		assertEquals(5 * 5 * 5 - 3 * 3 * 3, count(surface));
		assertEquals(false, surface[index(shape, 3, 3, 3)]);
		// (2,2,2) has only diagonal background neighbours further out: not surface with 6-connectivity
		assertEquals(false, surface[index(shape, 2, 2, 2)]);
		assertEquals(true, surface[index(shape, 1, 3, 3)]);
	}

	@Test
	public void emptyMaskHasNoSurface() {
		assertEquals(0, count(Surface.of(new boolean[3 * 4 * 5], new int[] { 3, 4, 5 })));
	}
}
