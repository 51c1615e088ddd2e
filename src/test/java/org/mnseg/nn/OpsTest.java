package org.mnseg.nn;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** Each op against PyTorch's own (fixtures) and against hand-computed values; results stay in the input's manager. */
public class OpsTest {
	private static final double TOL = 1e-5;
	private static TorchFixture fx;
	private static NDManager root;

	@BeforeClass
	public static void setUp() throws Exception {
		fx = TorchFixture.load("ops");
		root = NDManager.newBaseManager();
	}

	@AfterClass
	public static void tearDown() {
		root.close();
	}

	@Test
	public void instanceNormMatchesTorch() {
		try (NDManager m = root.newSubManager()) {
			fx.assertMatches("instance_norm.out", Ops.instanceNorm(fx.array(m, "instance_norm.in")), TOL);
		}
	}

	@Test
	public void instanceNormByHand() {
		try (NDManager m = root.newSubManager()) {
			// One instance [1, 3]: mean 2, biased variance 1 -> (x - 2) / sqrt(1 + 1e-5).
			NDArray out = Ops.instanceNorm(m.create(new float[] { 1, 3 }, new Shape(1, 1, 1, 1, 2)));
			double s = Math.sqrt(1 + 1e-5);
			assertArrayEquals(new float[] { (float) (-1 / s), (float) (1 / s) }, out.toFloatArray(), 1e-6f);
		}
	}

	@Test
	public void trilinearMatchesTorchOnEvenAndOddSizes() {
		try (NDManager m = root.newSubManager()) {
			for (String tag : new String[] { "even", "odd" })
				fx.assertMatches("trilinear." + tag + ".out", Ops.upsampleTrilinear2x(fx.array(m, "trilinear." + tag + ".in")),
						TOL);
		}
	}

	@Test
	public void linearUpsamplingByHandClampsAtEdges() {
		try (NDManager m = root.newSubManager()) {
			// [a, b] -> [a, 3a/4 + b/4, a/4 + 3b/4, b]; a single sample is repeated.
			NDArray out = Ops.upsampleTrilinear2x(m.create(new float[] { 4, 8 }, new Shape(1, 1, 1, 1, 2)));
			assertEquals(new Shape(1, 1, 2, 2, 4), out.getShape());
			float[] row = { 4, 5, 7, 8 };
			float[] expected = new float[16];
			for (int i = 0; i < 4; i++)
				System.arraycopy(row, 0, expected, 4 * i, 4);
			assertArrayEquals(expected, out.toFloatArray(), 0f);
		}
	}

	@Test
	public void bilinearAsTwoLinearResizesMatchesTorch() {
		try (NDManager m = root.newSubManager()) {
			NDArray in = fx.array(m, "bilinear.in"); // 2 x 2 x 3 x 5, doubled
			NDArray alongW = LinearResize.along(in, 3, 10, LinearResize.Mode.HALF_PIXEL);
			fx.assertMatches("bilinear.out", LinearResize.along(alongW, 2, 6, LinearResize.Mode.HALF_PIXEL), TOL);
		}
	}

	@Test
	public void maxPoolMatchesTorch() {
		try (NDManager m = root.newSubManager()) {
			fx.assertMatches("maxpool.out", Ops.maxPool3d2x(fx.array(m, "maxpool.in")), 0);
		}
	}

	@Test
	public void conv3dMatchesTorch() {
		try (NDManager m = root.newSubManager()) {
			NDArray out = Ops.conv3d(fx.array(m, "conv3d.in"), fx.array(m, "conv3d.weight"), fx.array(m, "conv3d.bias"), 1);
			fx.assertMatches("conv3d.out", out, 1e-4);
		}
	}

	@Test
	public void transposedConvMatchesTorchAndLeavesNothingWithTheParameters() {
		try (NDManager params = root.newSubManager(); NDManager step = root.newSubManager()) {
			NDArray weight = fx.array(params, "convtranspose.weight");
			NDArray bias = fx.array(params, "convtranspose.bias");
			weight.setRequiresGradient(true);
			bias.setRequiresGradient(true);
			int before = count(params);
			NDArray x = fx.array(step, "convtranspose.in");
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				NDArray out = Ops.convTranspose3dStride2(x, weight, bias);
				fx.assertMatches("convtranspose.out", out, 1e-4);
				assertTrue(out.getManager() == step);
				gc.backward(out.sum());
			}
			assertEquals("arrays derived from parameters must live in the step's manager", before, count(params));
			// d sum / d bias = number of output voxels per channel
			float[] gb = bias.getGradient().toFloatArray();
			assertArrayEquals(new float[] { 2 * 4 * 6 * 8, 2 * 4 * 6 * 8 }, gb, 0f);
		}
	}

	@Test
	public void resultsLandInTheInputsManager() {
		try (NDManager a = root.newSubManager(); NDManager b = root.newSubManager()) {
			NDArray x = TestTensors.gaussian(a, new Shape(1, 2, 4, 4, 4), 4);
			NDArray w = TestTensors.gaussian(b, new Shape(3, 2, 3, 3, 3), 5);
			int before = count(b);
			int beforeA = count(a);
			NDArray y = Ops.upsampleTrilinear2x(Ops.maxPool3d2x(Ops.relu(Ops.instanceNorm(Ops.conv3d(x, w, null, 1)))));
			assertTrue(y.getManager() == a);
			assertEquals(before, count(b));
			// conv, norm, relu, pool, upsample: five results and no leftover temporaries
			assertEquals(beforeA + 5, count(a));
		}
	}

	static int count(NDManager m) {
		return ((BaseNDManager) m).getManagedArrays().size();
	}
}
