package org.mnseg.finetune;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.mnseg.finetune.Training.param;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.BundleInfo;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.models.NetworkFactory;
import org.mnseg.nn.FineTunable;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;
import org.mnseg.nn2d.segformer.SegFormer;

import ai.djl.ndarray.NDManager;

/**
 * The fine-tuning strategies on a randomly initialised SegFormer-B0: which parameters train, that only those move
 * under real AdamW steps, that an untrained adapter changes nothing, merging, and bundles.
 */
public class SegFormerFineTuningTest {
	private static final int SIZE = 64;
	private static final String QUERY = "segformer.encoder.block.1.0.attention.self.query";
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

	private static Network b0() {
		return NetworkFactory.create("segformer-b0", new HashMap<>(Map.of("num_classes", 2)), root, 5);
	}

	private static boolean runningStatistic(Param p) {
		return p.name().endsWith(".running_mean") || p.name().endsWith(".running_var");
	}

	@Test
	public void loraFollowsTheReferenceCodesRules() {
		try (FineTunedNetwork net = FineTuner.apply(b0(), FineTuning.defaults(), 1)) {
			FineTunable base = net.base();
			assertEquals(((SegFormer) base).loraTargets().size(), net.adaptedLayers().size());
			assertEquals(8 * 6, net.adaptedLayers().size()); // B0: 8 encoder layers x (q, k, v, out, dense1, dense2)
			for (Param p : base.params()) {
				String n = p.name();
				boolean expected = n.startsWith("head.") || n.endsWith(".bias")
						|| n.startsWith("segformer.encoder.") && n.contains("layer_norm");
				assertEquals(n, expected, p.trainable());
			}
			// spot checks of the rule, by the reference code's words
			assertFalse(param(net, QUERY + ".weight").trainable());
			assertTrue("bias all", param(net, QUERY + ".bias").trainable());
			assertFalse("decoder weights frozen", param(net, "decode_head.linear_fuse.weight").trainable());
			assertTrue("bias all", param(net, "decode_head.linear_c.0.proj.bias").trainable());
			assertTrue("encoder LayerNorms in full",
					param(net, "segformer.encoder.block.1.0.layer_norm_2.weight").trainable());
			assertTrue(param(net, "segformer.encoder.block.1.0.attention.self.layer_norm.weight").trainable());
			assertFalse("decoder BatchNorm scale frozen", param(net, "decode_head.batch_norm.weight").trainable());
			assertTrue(param(net, "decode_head.batch_norm.bias").trainable());
			assertFalse(param(net, "decode_head.batch_norm.running_mean").trainable());
			assertTrue(param(net, "head.weight").trainable());
			Param a = param(net, QUERY + ".lora_A");
			Param b = param(net, QUERY + ".lora_B");
			assertTrue(a.trainable() && b.trainable());
			assertEquals(List.of(64L, 64L), List.of(a.array().getShape().get(0), a.array().getShape().get(1)));
			assertEquals(0f, b.array().abs().max().getFloat(), 0f);
			assertFalse("no adapters outside the reference targets",
					net.params().stream().anyMatch(p -> p.name().startsWith("decode_head") && p.name().contains("lora")));
		}
	}

	@Test
	public void decoderAndWholeStrategiesTrainTheirParts() {
		try (FineTunedNetwork net = FineTuner.apply(b0(), FineTuning.of(FineTuning.Strategy.DECODER), 1)) {
			assertTrue(net.adaptedLayers().isEmpty());
			for (Param p : net.params())
				assertEquals(p.name(), !p.name().startsWith("segformer.encoder.") && !runningStatistic(p), p.trainable());
		}
		try (FineTunedNetwork net = FineTuner.apply(b0(), FineTuning.of(FineTuning.Strategy.WHOLE), 1)) {
			for (Param p : net.params())
				assertEquals(p.name(), !runningStatistic(p), p.trainable());
		}
	}

	@Test
	public void decoderAndWholeStrategiesMoveOnlyTheirTrainableParameters() {
		for (FineTuning.Strategy strategy : List.of(FineTuning.Strategy.DECODER, FineTuning.Strategy.WHOLE)) {
			try (FineTunedNetwork net = FineTuner.apply(b0(), FineTuning.of(strategy), 2)) {
				Map<String, float[]> before = Training.snapshot(net);
				Training.train(net, 3, SIZE, 11);
				Training.assertOnlyTrainableMoved(net, before, SegFormerFineTuningTest::runningStatistic);
			}
		}
	}

	/**
	 * One LoRA run end to end: an untrained adapter changes nothing; AdamW moves exactly the trainable parameters; a
	 * bundle restores the adapters; merging keeps the function; a merged bundle has no adapters and the same output.
	 */
	@Test
	public void loraTrainsSavesAndMerges() throws Exception {
		Network plain = b0();
		float[] original = Training.output(plain, SIZE);
		try (FineTunedNetwork net = FineTuner.apply(plain, FineTuning.defaults().withMergeForInference(true), 3)) {
			Training.assertBitIdentical("an untrained adapter (B = 0)", original, Training.output(net, SIZE));

			Map<String, float[]> before = Training.snapshot(net);
			Training.train(net, 3, SIZE, 12);
			Training.assertOnlyTrainableMoved(net, before, SegFormerFineTuningTest::runningStatistic);
			float[] adapted = Training.output(net, SIZE);
			double change = Training.maxAbsDifference(original, adapted);
			assertTrue("training changed the output by " + change, change > 1e-4);

			Path file = tmp.getRoot().toPath().resolve("lora.mnmodel");
			save(net, file);
			try (Network copy = ModelBundle.load(file).instantiate("2d", root)) {
				FineTunedNetwork restored = (FineTunedNetwork) copy;
				assertEquals(48, restored.adaptedLayers().size());
				assertEquals(Training.trainableNames(net), Training.trainableNames(restored));
				for (Param p : net.adapterParams())
					assertArrayEquals(p.name(), p.array().toFloatArray(), param(copy, p.name()).array().toFloatArray(), 0f);
				Training.assertBitIdentical("restored from the bundle", adapted, Training.output(copy, SIZE));
			}

			FineTuner.prepareForSaving(net); // merge_for_inference is set
			assertTrue(net.adaptersMerged());
			assertTrue(net.adaptedLayers().isEmpty());
			assertFalse(net.params().stream().anyMatch(p -> p.name().contains("lora")));
			double diff = Training.maxAbsDifference(adapted, Training.output(net, SIZE));
			assertTrue("merged differs from unmerged by " + diff, diff <= 1e-5);
			@SuppressWarnings("unchecked")
			Map<String, Object> ft = (Map<String, Object>) net.config().get(FineTuning.CONFIG_KEY);
			assertEquals(true, ft.get("merged"));

			Path mergedFile = tmp.getRoot().toPath().resolve("merged.mnmodel");
			save(net, mergedFile);
			try (Network copy = ModelBundle.load(mergedFile).instantiate("2d", root)) {
				assertTrue(((FineTunedNetwork) copy).adaptedLayers().isEmpty());
				assertFalse(copy.params().stream().anyMatch(p -> p.name().contains("lora")));
				assertEquals(Training.trainableNames(net), Training.trainableNames(copy));
				diff = Training.maxAbsDifference(adapted, Training.output(copy, SIZE));
				assertTrue("merged bundle differs by " + diff, diff <= 1e-5);
			}
		}
	}

	private static void save(Network net, Path file) {
		BundleInfo info = new BundleInfo();
		info.method = "2d-only";
		info.classNames.addAll(List.of("background", "organ"));
		info.seed = 4;
		info.defaultModel = "2d";
		ModelBundle bundle = new ModelBundle(info);
		bundle.put("2d", net);
		bundle.save(file);
	}
}
