package org.mnseg.nn2d.mobilenet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.Test;
import org.mnseg.nn.AdaptableLayer;
import org.mnseg.nn.Param;
import org.mnseg.pretrained.WeightsSource;
import org.mnseg.testutil.SharedData;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;

/** The pretrained segmenters as M&N 2-D networks: shapes, gradients, names, configuration. */
public class PretrainedSegmenterTest {
	private static WeightsSource source;

	@BeforeClass
	public static void sources() throws Exception {
		Path models = SharedData.require("models");
		source = new WeightsSource(Files.createTempDirectory("mn-cache"), models, false, null);
	}

	private static TfliteSegmenter create(String architecture, NDManager m) {
		return Pretrained2dFactory.create(architecture, Map.of("num_classes", 3, "in_channels", 1), m, 42, source);
	}

	@Test
	public void everyArchitectureSegmentsOneChannelSlicesAtInputResolution() {
		for (String arch : Pretrained2dFactory.ARCHITECTURES) {
			try (NDManager m = NDManager.newBaseManager(); TfliteSegmenter net = create(arch, m); NDManager step = m.newSubManager()) {
				NDArray x = step.randomNormal(new Shape(2, 1, 64, 64));
				NDArray y = net.forward(x, false);
				assertEquals(arch, new Shape(2, 3, 64, 64), y.getShape());
				assertEquals(arch + ": result in the input's manager", step, y.getManager());
				assertEquals(arch, 2, net.spatialDims());
				assertEquals(arch, "none", net.config().get("input_scaling"));
				assertEquals(arch, 3, net.config().get("num_classes"));
			}
		}
	}

	@Test
	public void gradientsReachTheHeadAndTheFirstEncoderLayer() {
		for (String arch : new String[] { DeepLabV3Plus.ARCHITECTURE, MobileNetV2UNet.ARCHITECTURE }) {
			try (NDManager m = NDManager.newBaseManager(); TfliteSegmenter net = create(arch, m); NDManager step = m.newSubManager()) {
				NDArray x = step.randomUniform(0, 1, new Shape(2, 1, 32, 32));
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					NDArray y = net.forward(x, true);
					gc.backward(y.mul(y).mean());
				}
				Param first = net.params().get(0);
				Param headWeight = net.params().stream().filter(p -> p.name().equals("head.weight")).findFirst().orElseThrow();
				assertTrue(arch + " " + first.name(), first.array().getGradient().abs().sum().getFloat() > 0);
				assertTrue(arch + " head", headWeight.array().getGradient().abs().sum().getFloat() > 0);
			}
		}
	}

	@Test
	public void namesAreUniqueAndPointwiseConvolutionsAreAdaptable() {
		try (NDManager m = NDManager.newBaseManager(); TfliteSegmenter net = create(DeepLabV3Plus.ARCHITECTURE, m)) {
			Set<String> names = new HashSet<>();
			for (Param p : net.params()) assertTrue("duplicate " + p.name(), names.add(p.name()));
			assertTrue(names.contains("encoder.MobilenetV2.expanded_conv_3.expand.weight"));
			assertTrue(names.contains("encoder.decoder.decoder_conv1_pointwise.weight"));
			assertTrue(names.contains("head.weight"));
			// the dropped 32-class classifier is kept (for classifierLogits) but frozen
			Param classifier = net.params().stream().filter(p -> p.name().equals("encoder.logits.semantic.weight")).findFirst().orElseThrow();
			assertFalse(classifier.trainable());
			assertEquals(2, net.params().stream().filter(p -> !p.trainable()).count());
			// 17 blocks x (expand) + project + ASPP/decoder 1x1 convs (the logits conv included)
			assertTrue("" + net.adaptableLayers().size(), net.adaptableLayers().size() >= 35);
			for (AdaptableLayer l : net.adaptableLayers()) {
				assertEquals(l.name() + ".weight", l.weight().name());
				assertEquals(AdaptableLayer.Kind.POINTWISE_CONV2D, l.kind());
				assertEquals(1, l.weight().array().getShape().get(3));
			}
		}
	}

	@Test
	public void sizesThatAreNotMultiplesOfTheStrideAreAUserError() {
		try (NDManager m = NDManager.newBaseManager(); TfliteSegmenter net = create(MobileNetV2UNet.ARCHITECTURE, m)) {
			net.forward(m.zeros(new Shape(1, 1, 48, 64)), false);
			fail("expected a UserError");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("32"));
		}
	}

	@Test
	public void unknownOptionsAndScalingsAreUserErrors() {
		try (NDManager m = NDManager.newBaseManager()) {
			for (Map<String, Object> bad : new Map[] { Map.of("num_classes", 2, "levels", 3), Map.of("num_classes", 2, "input_scaling", "zscore"),
					Map.of("in_channels", 1) }) {
				try {
					Pretrained2dFactory.create(DeepLabV3.ARCHITECTURE, bad, m, 1, source).close();
					fail("expected a UserError for " + bad);
				} catch (UserError e) {
					assertFalse(e.getMessage().isBlank());
				}
			}
		}
	}

	@Test
	public void imagenetScalingIsRecordedAndChangesTheOutput() {
		try (NDManager m = NDManager.newBaseManager()) {
			TfliteSegmenter plain = Pretrained2dFactory.create(DeepLabV3.ARCHITECTURE, Map.of("num_classes", 2), m, 5, source);
			TfliteSegmenter scaled = Pretrained2dFactory.create(DeepLabV3.ARCHITECTURE, Map.of("num_classes", 2, "input_scaling", "imagenet"), m, 5, source);
			assertEquals("imagenet", scaled.config().get("input_scaling"));
			NDArray x = m.randomUniform(0, 1, new Shape(1, 1, 32, 32));
			float diff = plain.forward(x, false).sub(scaled.forward(x, false)).abs().max().getFloat();
			assertTrue("" + diff, diff > 1e-4);
		}
	}

	@Test
	public void sliceZoomRunsTheNetworkOnEnlargedSlicesAndAveragesBack() {
		try (NDManager m = NDManager.newBaseManager()) {
			TfliteSegmenter plain = Pretrained2dFactory.create(DeepLabV3Plus.ARCHITECTURE, Map.of("num_classes", 2), m, 5, source);
			TfliteSegmenter zoomed = Pretrained2dFactory.create(DeepLabV3Plus.ARCHITECTURE, Map.of("num_classes", 2, "slice_zoom", 2), m, 5, source);
			assertEquals(2, zoomed.config().get("slice_zoom"));
			assertFalse("a factor of 1 is not recorded, so older bundles read the same", plain.config().containsKey("slice_zoom"));
			// 18 x 30 is not a multiple of the head's stride 4, but 36 x 60 is
			assertEquals(4, plain.sizeDivisor());
			NDArray x = m.randomUniform(0, 1, new Shape(1, 1, 18, 30));
			NDArray y = zoomed.forward(x, false);
			assertEquals(new Shape(1, 2, 18, 30), y.getShape());
			NDArray expected = org.mnseg.nn2d.SliceZoom.shrink(plain.forward(org.mnseg.nn2d.SliceZoom.enlarge(x, 2), false), 2);
			assertTrue(y.sub(expected).abs().max().getFloat() < 1e-5f);
			try {
				plain.forward(x, false);
				fail("18 x 30 slices need slice_zoom 2 on a stride-4 network");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("multiples of 4"));
			}
			try {
				Pretrained2dFactory.create(DeepLabV3Plus.ARCHITECTURE, Map.of("num_classes", 2, "slice_zoom", 0), m, 5, source);
				fail("slice_zoom 0 accepted");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("slice_zoom"));
			}
		}
	}
}
