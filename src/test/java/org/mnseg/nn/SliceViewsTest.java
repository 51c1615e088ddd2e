package org.mnseg.nn;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/** A 2-D network reading axial, coronal and sagittal slices ({@code --views2d all}). */
public class SliceViewsTest {
	/**
	 * A 2-D "network" whose foreground logit is the pixel's value plus a ramp down the slice's rows: it answers
	 * differently depending on which axis a slice's rows come from, as a real network does.
	 */
	static class RowRamp implements Network {
		private final NDManager manager;

		RowRamp(NDManager parent) {
			manager = parent.newSubManager();
		}

		@Override public String architecture() { return "row-ramp"; }
		@Override public Map<String, Object> config() { return Map.of(); }
		@Override public int spatialDims() { return 2; }
		@Override public int inChannels() { return 1; }
		@Override public int numClasses() { return 2; }
		@Override public List<Param> params() { return List.of(); }
		@Override public NDManager manager() { return manager; }

		@Override
		public NDArray forward(NDArray input, boolean training) {
			long rows = input.getShape().get(2);
			NDArray ramp = input.getManager().arange(0f, (float) rows).reshape(1, 1, rows, 1).mul(0.5f);
			NDArray foreground = input.add(ramp);
			return NDArrays.concat(new NDList(foreground.zerosLike(), foreground), 1);
		}
	}

	/** The row-ramp's foreground probability of every voxel when it reads the slices along {@code axis} (2, 3 or 4). */
	private static float[][][] foregroundAlong(NDArray volume, int axis) {
		Shape s = volume.getShape(); // 1 x 1 x Z x Y x X
		int nz = (int) s.get(2), ny = (int) s.get(3), nx = (int) s.get(4);
		float[] v = volume.toFloatArray();
		float[][][] p = new float[nz][ny][nx];
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					// rows of an axial slice run along Y, of a coronal slice (fixed Y) along Z, of a sagittal slice (fixed X) along Z
					int row = axis == 2 ? y : z;
					double logit = v[(z * ny + y) * nx + x] + 0.5 * row;
					p[z][y][x] = (float) (1 / (1 + Math.exp(-logit)));
				}
		return p;
	}

	@Test
	public void eachViewPutsItsSlicingAxisAtTheDepthAndComesBack() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray v = m.arange(0f, 2 * 3 * 4 * 5f).reshape(1, 2, 3, 4, 5);
			long[][] shapes = { { 1, 2, 3, 4, 5 }, { 1, 2, 4, 3, 5 }, { 1, 2, 5, 3, 4 } };
			for (int k = 0; k < 3; k++) {
				SliceViews.View view = SliceViews.ALL.view(k);
				NDArray viewed = view.of(v);
				assertArrayEquals(shapes[k], viewed.getShape().getShape());
				assertArrayEquals(v.toFloatArray(), view.back(viewed).toFloatArray(), 0f);
			}
			// the coronal view's depth index is Y: its slice y = 2 is the volume's v[:, :, :, 2, :]
			NDArray coronal = SliceViews.ALL.view(1).of(v).get(new NDIndex(":, :, 2"));
			assertArrayEquals(v.get(new NDIndex(":, :, :, 2")).toFloatArray(), coronal.toFloatArray(), 0f);
			assertEquals(1, SliceViews.AXIAL.count());
		}
	}

	@Test
	public void allViewsPredictTheMeanOfTheThreeOrientationsProbabilities() {
		try (NDManager m = NDManager.newBaseManager(); Network net = new RowRamp(m)) {
			float[] values = new float[3 * 4 * 5];
			for (int i = 0; i < values.length; i++) values[i] = (float) Math.sin(i * 0.7) * 2;
			NDArray volume = m.create(values, new Shape(1, 1, 3, 4, 5));
			float[] p = SliceWise.forward(net, volume, false, SliceViews.ALL, 0).softmax(1).get(new NDIndex(":, 1")).toFloatArray();
			float[][][] axial = foregroundAlong(volume, 2), coronal = foregroundAlong(volume, 3), sagittal = foregroundAlong(volume, 4);
			int i = 0;
			for (int z = 0; z < 3; z++)
				for (int y = 0; y < 4; y++)
					for (int x = 0; x < 5; x++, i++)
						assertEquals((axial[z][y][x] + coronal[z][y][x] + sagittal[z][y][x]) / 3, p[i], 1e-5);
			// one view is the plain slice-by-slice forward
			float[] plain = SliceWise.forward(net, volume, false).softmax(1).get(new NDIndex(":, 1")).toFloatArray();
			float[] axialOnly = SliceWise.forward(net, volume, false, SliceViews.AXIAL, 0).softmax(1).get(new NDIndex(":, 1")).toFloatArray();
			assertArrayEquals(plain, axialOnly, 0f);
			assertEquals(axial[1][2][3], plain[(1 * 4 + 2) * 5 + 3], 1e-5);
		}
	}

	@Test
	public void aPatchWhoseDepthTheNetworkCannotTakeIsNamedBeforeTraining() {
		try (NDManager m = NDManager.newBaseManager(); Network net = new RowRamp(m) {
			@Override
			public NDArray forward(NDArray input, boolean training) {
				Shape s = input.getShape();
				if (s.get(2) % 16 != 0 || s.get(3) % 16 != 0) throw new UserError("row-ramp needs slice sizes that are multiples of 16, got " + s.get(3) + " x " + s.get(2));
				return super.forward(input, training);
			}
		}) {
			SliceWise.requireSlicesFit(net, new int[] { 32, 48, 24 }, 1, SliceViews.AXIAL); // axial slices are 32 x 48: fine
			try {
				SliceWise.requireSlicesFit(net, new int[] { 32, 48, 24 }, 1, SliceViews.ALL);
				fail("coronal slices of 32 x 24 were accepted");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().startsWith("The training patch 32,48,24 cuts coronal slices of 32 x 24 voxels, and row-ramp needs"));
				assertTrue(e.getMessage(), e.getMessage().contains("--views2d"));
			}
		}
	}

	@Test
	public void anUnknownViewNamesBothChoices() {
		try {
			SliceViews.parse("oblique");
			fail("oblique was accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--views2d") && e.getMessage().contains("axial") && e.getMessage().contains("all"));
		}
		assertEquals(SliceViews.ALL, SliceViews.parse(" All "));
	}
}
