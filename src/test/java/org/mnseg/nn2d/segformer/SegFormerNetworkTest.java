package org.mnseg.nn2d.segformer;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.nn.AdaptableLayer;
import org.mnseg.nn.Param;
import org.mnseg.pretrained.safetensors.SafetensorsWriter;
import org.mnseg.testutil.TinyBundles;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** SegFormer as M&N's segmentation network: shapes, gradients, input handling, factory, LoRA targets, loading. */
public class SegFormerNetworkTest {
	private static NDManager root;

	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@BeforeClass
	public static void setUp() {
		root = NDManager.newBaseManager();
	}

	@AfterClass
	public static void tearDown() {
		root.close();
	}

	/** The tests' tiny SegFormer with two classes and the given input channels. */
	private static Map<String, Object> tinyOptions(int inChannels) {
		Map<String, Object> o = TinyBundles.tinySegFormer();
		o.put("num_classes", 2);
		o.put("in_channels", inChannels);
		return o;
	}

	private static NDArray gaussian(NDManager m, Shape shape, long seed) {
		java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
		float[] v = new float[(int) shape.size()];
		for (int i = 0; i < v.length; i++)
			v[i] = (float) r.nextGaussian();
		return m.create(v, shape);
	}

	private static Param param(SegFormer net, String name) {
		return net.params().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
	}

	private static int arrays(NDManager m) {
		return ((BaseNDManager) m).getManagedArrays().size();
	}

	@Test
	public void b0SegmentsOneChannelSlicesAndTrainsItsHeadAttentionAndNorms() {
		Map<String, Object> options = new HashMap<>(Map.of("num_classes", 3, "in_channels", 1));
		try (SegFormer net = SegFormerFactory.create("segformer-b0", options, root, 7);
			NDManager data = root.newSubManager()) {
			NDArray x = gaussian(data, new Shape(2, 1, 64, 64), 1);
			try (NDManager step = data.newSubManager()) {
				NDArray input = x.duplicate();
				input.attach(step);
				assertEquals(new Shape(2, 3, 64, 64), net.forward(input, false).getShape());
			}
			String query = "segformer.encoder.block.0.0.attention.self.query.weight";
			String norm = "segformer.encoder.block.1.0.layer_norm_1.weight";
			float[] runningMean = net.decoderBatchNorm().runningMean().array().toFloatArray();
			int before = arrays(net.manager());
			try (NDManager step = data.newSubManager()) {
				NDArray input = x.duplicate();
				input.attach(step);
				NDArray weights = gaussian(step, new Shape(2, 3, 64, 64), 2);
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					NDArray logits = net.forward(input, true);
					gc.backward(logits.mul(weights).mean());
				}
				for (String name : List.of("head.weight", "head.bias", query, norm)) {
					NDArray g = param(net, name).array().getGradient();
					g.attach(step);
					assertTrue(name + " has no gradient", g.abs().max().getFloat() > 0);
				}
			}
			assertEquals("a training step must leave nothing with the parameters", before, arrays(net.manager()));
			assertFalse("training mode updates the running statistics",
				java.util.Arrays.equals(runningMean, net.decoderBatchNorm().runningMean().array().toFloatArray()));
			assertFalse(param(net, "decode_head.batch_norm.running_mean").trainable());
		}
	}

	@Test
	public void batchNormUsesBatchStatisticsInTrainingAndRunningStatisticsInEvaluation() {
		try (NDManager m = root.newSubManager()) {
			ParamSet params = new ParamSet(m, 1);
			DecoderBatchNorm bn = new DecoderBatchNorm(params, "bn", 2);
			params.list().get(0).set(new float[] { 2f, 0.5f }); // weight
			params.list().get(1).set(new float[] { 0.1f, -1f }); // bias
			params.list().get(2).set(new float[] { 0.3f, -0.2f }); // running mean
			params.list().get(3).set(new float[] { 1.5f, 0.8f }); // running var
			NDArray x = gaussian(m, new Shape(3, 2, 4, 5), 3).mul(2).add(1);
			float[] v = x.toFloatArray();
			float[] w = { 2f, 0.5f }, b = { 0.1f, -1f }, rm = { 0.3f, -0.2f }, rv = { 1.5f, 0.8f };
			float[] eval = bn.apply(x, false).toFloatArray();
			float[] train = bn.apply(x, true).toFloatArray();
			float[] newMean = bn.runningMean().array().toFloatArray();
			float[] newVar = bn.runningVar().array().toFloatArray();
			for (int c = 0; c < 2; c++) {
				double sum = 0, sq = 0;
				int n = 0;
				for (int s = 0; s < 3; s++)
					for (int i = 0; i < 20; i++) {
						double val = v[(s * 2 + c) * 20 + i];
						sum += val;
						sq += val * val;
						n++;
					}
				double mean = sum / n;
				double var = sq / n - mean * mean;
				for (int s = 0; s < 3; s++)
					for (int i = 0; i < 20; i++) {
						int k = (s * 2 + c) * 20 + i;
						assertEquals((v[k] - rm[c]) / Math.sqrt(rv[c] + 1e-5) * w[c] + b[c], eval[k], 1e-4);
						assertEquals((v[k] - mean) / Math.sqrt(var + 1e-5) * w[c] + b[c], train[k], 1e-4);
					}
				assertEquals(0.9 * rm[c] + 0.1 * mean, newMean[c], 1e-5);
				assertEquals(0.9 * rv[c] + 0.1 * var * n / (n - 1), newVar[c], 1e-4);
			}
		}
	}

	@Test
	public void oneChannelInputIsRepeatedAndImagenetScalingIsApplied() {
		Map<String, Object> one = tinyOptions(1);
		Map<String, Object> three = tinyOptions(3);
		Map<String, Object> threeScaled = tinyOptions(3);
		threeScaled.put("imagenet_normalization", true);
		try (SegFormer a = SegFormerFactory.create("segformer", one, root, 4);
			SegFormer b = SegFormerFactory.create("segformer", three, root, 4);
			SegFormer c = SegFormerFactory.create("segformer", threeScaled, root, 4);
			NDManager m = root.newSubManager()) {
			NDArray slice = gaussian(m, new Shape(2, 1, 32, 24), 5);
			NDArray repeated = slice.tile(new long[] { 1, 3, 1, 1 });
			assertArrayEquals(b.forward(repeated, false).toFloatArray(), a.forward(slice, false).toFloatArray(), 0f);
			NDArray mean = m.create(new float[] { 0.485f, 0.456f, 0.406f }, new Shape(1, 3, 1, 1));
			NDArray std = m.create(new float[] { 0.229f, 0.224f, 0.225f }, new Shape(1, 3, 1, 1));
			float[] scaledByHand = b.forward(repeated.sub(mean).div(std), false).toFloatArray();
			assertArrayEquals(scaledByHand, c.forward(repeated, false).toFloatArray(), 1e-5f);
			assertEquals(true, c.config().get("imagenet_normalization"));
			assertEquals(false, b.config().get("imagenet_normalization"));
			assertThrows(UserError.class, () -> a.forward(gaussian(m, new Shape(1, 1, 30, 24), 6), false));
		}
	}

	@Test
	public void configRebuildsTheSameNetworkThroughTheFactory() {
		try (SegFormer tiny = SegFormerFactory.create("segformer", tinyOptions(1), root, 9);
			SegFormer again = SegFormerFactory.create(tiny.architecture(), new HashMap<>(tiny.config()), root, 9);
			SegFormer b2 = SegFormerFactory.create("segformer-b2", Map.of("num_classes", 2.0), root, 1)) {
			assertEquals("segformer", tiny.architecture());
			assertEquals(tiny.params().size(), again.params().size());
			for (int i = 0; i < tiny.params().size(); i++) {
				assertEquals(tiny.params().get(i).name(), again.params().get(i).name());
				assertArrayEquals(tiny.params().get(i).array().toFloatArray(), again.params().get(i).array().toFloatArray(), 0f);
			}
			assertEquals("segformer-b2", b2.architecture());
			assertEquals(768, b2.segformerConfig().decoderHiddenSize());
			assertEquals(new Shape(771, 2, 4, 4), param(b2, "head.weight").array().getShape()); // 768 + 3 channels
			assertThrows(UserError.class, () -> SegFormerFactory.create("segformer-b9", Map.of("num_classes", 2), root, 1));
			assertThrows(UserError.class, () -> SegFormerFactory.create("segformer-b0", Map.of("num_classes", 2, "levels", 3), root, 1));
			assertThrows(UserError.class, () -> SegFormerFactory.create("segformer-b0", Map.of(), root, 1));
		}
	}

	@Test
	public void loraTargetsAreAttentionAndMixFfnDenseLayersOfB0() {
		try (SegFormer net = SegFormerFactory.create("segformer-b0", Map.of("num_classes", 2), root, 1)) {
			List<AdaptableLayer> targets = net.loraTargets();
			assertEquals(8 * 6, targets.size()); // 8 layers x (query, key, value, output dense, dense1, dense2)
			assertEquals(8 * 6 + 4 + 1, net.adaptableLayers().size()); // + linear_c.0-3 and linear_fuse
			assertEquals("segformer.encoder.block.0.0.attention.self.query", targets.get(0).name());
			assertTrue(targets.stream().anyMatch(l -> l.name().equals("segformer.encoder.block.3.1.mlp.dense2")));
			assertTrue(net.adaptableLayers().stream().anyMatch(
				l -> l.name().equals("decode_head.linear_fuse") && l.kind() == AdaptableLayer.Kind.POINTWISE_CONV2D));
		}
	}

	@Test
	public void loadsItsOwnWeightsAndNamesMissingAndUnexpectedKeys() throws Exception {
		Map<String, Object> options = tinyOptions(3);
		try (SegFormer source = SegFormerFactory.create("segformer", options, root, 1);
			SegFormer target = SegFormerFactory.create("segformer", options, root, 2);
			NDManager m = root.newSubManager()) {
			Path config = tmp.getRoot().toPath().resolve("config.json");
			Map<String, Object> hf = new HashMap<>(source.segformerConfig().toMap());
			hf.put("model_type", "segformer");
			Json.write(config, hf);
			List<Param> all = new ArrayList<>(source.huggingFaceParams());
			all.add(source.classifier().weight());
			all.add(source.classifier().bias());

			SafetensorsWriter complete = new SafetensorsWriter();
			for (Param p : all)
				complete.f32(p.name(), p.array().getShape().getShape(), p.array().toFloatArray());
			complete.raw("decode_head.batch_norm.num_batches_tracked", "I64", new long[] {}, new byte[8]);
			Path good = complete.write(tmp.newFile("good.safetensors").toPath());

			SafetensorsWriter partial = new SafetensorsWriter();
			for (Param p : all)
				if (!p.name().equals("segformer.encoder.block.2.0.mlp.dense1.bias"))
					partial.f32(p.name(), p.array().getShape().getShape(), p.array().toFloatArray());
			partial.f32("segformer.encoder.extra.weight", new long[] { 1 }, new float[] { 0 });
			Path bad = partial.write(tmp.newFile("bad.safetensors").toPath());

			float before = param(target, "segformer.encoder.layer_norm.0.weight").array().getFloat(0);
			UserError e = assertThrows(UserError.class, () -> target.loadHuggingFace(bad, config));
			assertTrue(e.getMessage(), e.getMessage().contains("segformer.encoder.block.2.0.mlp.dense1.bias"));
			assertTrue(e.getMessage(), e.getMessage().contains("segformer.encoder.extra.weight"));
			assertEquals("a failed load changes nothing", before,
				param(target, "segformer.encoder.layer_norm.0.weight").array().getFloat(0), 0f);

			assertEquals(List.of("head.weight", "head.bias"), target.loadHuggingFace(good, config));
			NDArray x = gaussian(m, new Shape(1, 3, 32, 32), 3);
			NDList a = source.forwardStages(x);
			NDList b = target.forwardStages(x);
			for (int i = 0; i < a.size(); i++)
				assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), 0f);
			assertNotEquals(param(source, "head.weight").array().getFloat(0, 0, 0, 0),
				param(target, "head.weight").array().getFloat(0, 0, 0, 0), 0f);

			// an encoder-only (ImageNet MiT) checkpoint: encoder loaded, decoder left at its initialisation
			SafetensorsWriter encoderOnly = new SafetensorsWriter();
			for (Param p : all)
				if (p.name().startsWith("segformer."))
					encoderOnly.f32(p.name(), p.array().getShape().getShape(), p.array().toFloatArray());
			encoderOnly.f32("classifier.weight", new long[] { 5, 32 }, new float[160]);
			encoderOnly.f32("classifier.bias", new long[] { 5 }, new float[5]);
			try (SegFormer fresh = SegFormerFactory.create("segformer", options, root, 3)) {
				List<String> untouched = fresh.loadHuggingFace(encoderOnly.write(tmp.newFile("mit.safetensors").toPath()), config);
				assertTrue(untouched.contains("decode_head.linear_fuse.weight"));
				assertTrue(untouched.contains("head.weight"));
				assertFalse(untouched.stream().anyMatch(n -> n.startsWith("segformer.")));
				assertArrayEquals(source.forwardStages(x).get(3).toFloatArray(), fresh.forwardStages(x).get(3).toFloatArray(), 0f);
			}

			try (SegFormer b0 = SegFormerFactory.create("segformer-b0", Map.of("num_classes", 2), root, 1)) {
				assertTrue(assertThrows(UserError.class, () -> b0.loadHuggingFace(good, config)).getMessage()
					.contains("other sizes"));
			}
		}
	}

	/** The option 'weights' picks the ADE20K checkpoint (default) or the ImageNet encoder of the same size, nothing else. */
	@Test
	public void weightsOptionChoosesAPublishedCheckpointOfTheSameSize() {
		assertEquals("segformer-b2-finetuned-ade-512-512", SegFormerFactory.weightsOf("segformer-b2", Map.of()).orElseThrow().id());
		assertEquals("mit-b2", SegFormerFactory.weightsOf("segformer-b2", Map.of("weights", "mit-b2")).orElseThrow().id());
		assertEquals("segformer-b5-finetuned-ade-640-640", SegFormerFactory.weightsOf("segformer-b5", Map.of()).orElseThrow().id());
		assertTrue(SegFormerFactory.weightsOf("segformer", Map.of()).isEmpty());
		for (Map<String, Object> wrong : List.<Map<String, Object>>of(Map.of("weights", "mit-b0"), Map.of("weights", "deeplabv3-mnv2-pascal"))) {
			try {
				SegFormerFactory.weightsOf("segformer-b2", wrong);
				org.junit.Assert.fail(wrong + " accepted");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("mit-b2"));
			}
		}
		try {
			SegFormerFactory.weightsOf("segformer", Map.of("weights", "mit-b0"));
			org.junit.Assert.fail("custom sizes have no published weights");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("--weights2d"));
		}
	}
}
