package org.mnseg.nn;

import org.mnseg.models.NetworkFactory;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.mnseg.util.UserError;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * UNet3D against its PyTorch twin (scripts/reference/unet3d_torch.py, levels 3, base 4, on 1 x 1 x 8 x 8 x 8): same
 * parameter names and shapes, same logits and same gradients given the same weights; initialisation and options.
 */
public class UNet3DTest {
	private static TorchFixture fx;
	private static NDManager root;

	@BeforeClass
	public static void setUp() throws Exception {
		fx = TorchFixture.load("unet3d");
		root = NDManager.newBaseManager();
	}

	@AfterClass
	public static void tearDown() {
		root.close();
	}

	private static UNet3D torchTwin() {
		UNet3D net = new UNet3D(root, 1, 3, 3, 4, 7);
		for (Param p : net.params())
			p.set(fx.values("param." + p.name()));
		return net;
	}

	@Test
	public void parameterNamesOrderAndShapesMatchTorch() {
		try (UNet3D net = new UNet3D(root, 1, 3, 3, 4, 7)) {
			List<String> names = new ArrayList<>();
			for (Param p : net.params()) {
				names.add(p.name());
				assertEquals(p.name(), fx.shape("param." + p.name()), p.array().getShape());
			}
			assertEquals(fx.keysWithPrefix("param."), names);
		}
	}

	@Test
	public void forwardMatchesTorch() {
		try (UNet3D net = torchTwin(); NDManager step = root.newSubManager()) {
			NDArray logits = net.forward(fx.array(step, "input"), false);
			assertTrue(logits.getManager() == step);
			fx.assertMatches("logits", logits, 1e-5);
		}
	}

	@Test
	public void gradientsMatchTorch() {
		try (UNet3D net = torchTwin(); NDManager step = root.newSubManager()) {
			NDArray target = fx.array(step, "target");
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				NDArray logits = net.forward(fx.array(step, "input"), true);
				NDArray loss = Losses.klDiv(logits, target).add(Losses.squaredDice(logits, target));
				assertEquals(fx.scalar("loss"), loss.getFloat(), 1e-6);
				gc.backward(loss);
			}
			for (Param p : net.params()) {
				try (NDArray grad = p.array().getGradient()) {
					fx.assertMatches("grad." + p.name(), grad, 2e-6);
				}
			}
		}
	}

	@Test
	public void seedFixesTheInitialisationWithinPyTorchsBounds() {
		try (UNet3D a = new UNet3D(root, 2, 3, 2, 4, 101); UNet3D b = new UNet3D(root, 2, 3, 2, 4, 101);
				UNet3D c = new UNet3D(root, 2, 3, 2, 4, 102)) {
			boolean anyDifferent = false;
			for (int i = 0; i < a.params().size(); i++) {
				Param p = a.params().get(i);
				float[] va = p.array().toFloatArray();
				assertTrue(p.name(), Arrays.equals(va, b.params().get(i).array().toFloatArray()));
				anyDifferent |= !Arrays.equals(va, c.params().get(i).array().toFloatArray());
				// fan_in = input channels * 27, read off the weight of the same convolution
				String conv = p.name().substring(0, p.name().lastIndexOf('.'));
				Shape w = a.params().stream().filter(q -> q.name().equals(conv + ".weight")).findFirst().get().array()
						.getShape();
				double bound = 1 / Math.sqrt(w.get(1) * 27);
				double max = 0;
				for (float v : va)
					max = Math.max(max, Math.abs(v));
				assertTrue(p.name() + " exceeds 1/sqrt(fan_in)", max <= bound);
				if (va.length >= 100)
					assertTrue(p.name() + " should spread over its bound", max > 0.9 * bound);
			}
			assertTrue("another seed must give other weights", anyDifferent);
		}
	}

	@Test
	public void defaultsAndConfig() {
		try (UNet3D net = new UNet3D(root, 1, 2, UNet3D.DEFAULT_LEVELS, UNet3D.DEFAULT_BASE_FILTERS, 1)) {
			assertEquals(Map.of("in_channels", 1, "num_classes", 2, "levels", 5, "base_filters", 32), net.config());
			assertEquals(16, net.sizeDivisor());
			assertEquals("unet3d", net.architecture());
			assertEquals(3, net.spatialDims());
			// deepest block: 256 -> 512 filters
			assertEquals(new Shape(512, 256, 3, 3, 3), net.params().stream()
					.filter(p -> p.name().equals("enc.4.conv1.weight")).findFirst().get().array().getShape());
			assertEquals(new Shape(2, 32, 3, 3, 3), net.params().get(net.params().size() - 2).array().getShape());
		}
	}

	@Test
	public void rejectsSizesNotDivisibleByTheDepth() {
		try (UNet3D net = new UNet3D(root, 1, 2, 3, 2, 1); NDManager step = root.newSubManager()) {
			try {
				net.forward(step.zeros(new Shape(1, 1, 8, 8, 6)), false);
				fail("6 is not a multiple of 4");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("multiple of 4") && e.getMessage().contains("6 x 8 x 8"));
			}
			try {
				net.forward(step.zeros(new Shape(1, 1, 4, 4, 4)), false);
				fail("a single voxel at the deepest level must be refused");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("too small"));
			}
		}
	}

	@Test
	public void factoryBuildsFromJsonStyleConfig() {
		Map<String, Object> config = new HashMap<>();
		config.put("in_channels", 1.0);
		config.put("num_classes", 3.0);
		config.put("levels", 3.0);
		config.put("base_filters", 4.0);
		try (Network net = NetworkFactory.create("unet3d", config, root, 7); UNet3D direct = new UNet3D(root, 1, 3, 3, 4, 7)) {
			assertEquals(direct.config(), net.config());
			for (int i = 0; i < direct.params().size(); i++)
				assertTrue(Arrays.equals(direct.params().get(i).array().toFloatArray(),
						net.params().get(i).array().toFloatArray()));
			// the config rebuilds the same architecture
			try (Network again = NetworkFactory.create(net.architecture(), net.config(), root, 7)) {
				assertEquals(net.config(), again.config());
			}
		}
		try (Network net = NetworkFactory.create("unet3d", Map.of("in_channels", 2, "num_classes", 2), root, 1)) {
			assertEquals(5, net.config().get("levels"));
			assertEquals(32, net.config().get("base_filters"));
		}
	}

	@Test
	public void factoryRejectsBadNamesAndOptions() {
		expectUserError(() -> NetworkFactory.create("unet2d", Map.of(), root, 1), "unet3d");
		expectUserError(() -> NetworkFactory.create("unet3d", Map.of("in_channels", 1, "num_classes", 2.5), root, 1),
				"whole number");
		expectUserError(() -> NetworkFactory.create("unet3d", Map.of("in_channels", 1), root, 1), "num_classes");
		expectUserError(() -> NetworkFactory.create("unet3d", Map.of("in_channels", 1, "num_classes", 2, "level", 3),
				root, 1), "level");
		expectUserError(() -> NetworkFactory.create("unet3d", Map.of("in_channels", 1, "num_classes", 2, "levels", 0),
				root, 1), "levels");
	}

	private static void expectUserError(Runnable r, String mention) {
		try {
			r.run();
			fail("expected a UserError mentioning " + mention);
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains(mention));
		}
	}

	@Test
	public void closingTheNetworkFreesItsParameters() {
		UNet3D net = new UNet3D(root, 1, 2, 2, 2, 1);
		NDArray w = net.params().get(0).array();
		net.close();
		assertTrue(w.isReleased());
	}
}
