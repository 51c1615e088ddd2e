package org.mnseg.finetune;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.mnseg.finetune.Training.param;

import java.nio.file.Path;
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
import org.mnseg.testutil.SharedData;

import ai.djl.ndarray.NDManager;

/**
 * The strategies on the pretrained DeepLabV3+ (ADE20K) from the shared models: parts, adapters on the backbone's
 * pointwise convolutions, what moves under AdamW, bundles; and the UNet decoder of mnv2-imagenet-unet.
 */
public class MobileNetFineTuningTest {
	private static final int SIZE = 32;
	private static final String EXPAND = "encoder.MobilenetV2.expanded_conv_3.expand";
	private static NDManager root;

	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@BeforeClass
	public static void setUp() {
		SharedData.require("models/deeplabv3plus_mnv2_ade20k32_int8.tflite");
		root = NDManager.newBaseManager();
	}

	@AfterClass
	public static void tearDown() {
		if (root != null)
			root.close();
	}

	private static Network create(String architecture) {
		return NetworkFactory.create(architecture, Map.of("num_classes", 2), root, 8);
	}

	@Test
	public void deepLabPartsAndLoraRules() {
		try (FineTunedNetwork net = FineTuner.apply(create("deeplabv3plus-mnv2-ade20k"), FineTuning.defaults(), 1)) {
			FineTunable base = net.base();
			assertEquals(FineTunable.Part.ENCODER, base.part(param(net, EXPAND + ".weight")));
			assertEquals(FineTunable.Part.DECODER, base.part(param(net, "encoder.aspp0.weight")));
			assertEquals(FineTunable.Part.DECODER, base.part(param(net, "encoder.decoder.decoder_conv1_pointwise.weight")));
			assertEquals(FineTunable.Part.FIXED, base.part(param(net, "encoder.logits.semantic.weight")));
			assertEquals(FineTunable.Part.HEAD, base.part(param(net, "head.weight")));
			assertTrue(param(net, EXPAND + ".lora_A").trainable());
			assertFalse(net.params().stream().anyMatch(p -> p.name().startsWith("encoder.aspp") && p.name().contains("lora")));
			assertFalse(net.params().stream().anyMatch(p -> p.name().startsWith("encoder.logits") && p.name().contains("lora")));
			for (Param p : base.params()) {
				FineTunable.Part part = base.part(p);
				boolean expected = part != FineTunable.Part.FIXED
						&& (part == FineTunable.Part.HEAD || p.name().endsWith(".bias"));
				assertEquals(p.name(), expected, p.trainable());
			}
			// every LoRA target is a pointwise convolution of the backbone
			assertEquals(base.loraTargets().size(), net.adaptedLayers().size());
			assertTrue(net.adaptedLayers().size() > 20);
			net.adaptedLayers().forEach(l -> assertEquals(FineTunable.Part.ENCODER, base.part(l.weight())));
		}
		try (FineTunedNetwork net = FineTuner.apply(create("deeplabv3plus-mnv2-ade20k"),
				FineTuning.of(FineTuning.Strategy.WHOLE), 1)) {
			assertFalse("the original classifier stays frozen", param(net, "encoder.logits.semantic.weight").trainable());
			assertTrue(param(net, EXPAND + ".weight").trainable());
		}
	}

	@Test
	public void strategiesMoveOnlyTrainableParametersAndLoraRoundTripsThroughABundle() throws Exception {
		// whole is covered on SegFormer; its full backward through the TFLite graph is the slowest case here
		for (FineTuning.Strategy strategy : List.of(FineTuning.Strategy.DECODER, FineTuning.Strategy.LORA)) {
			Network plain = create("deeplabv3plus-mnv2-ade20k");
			float[] original = Training.output(plain, SIZE);
			try (FineTunedNetwork net = FineTuner.apply(plain, FineTuning.of(strategy), 2)) {
				Training.assertBitIdentical(strategy + ": applying changes nothing", original, Training.output(net, SIZE));
				Map<String, float[]> before = Training.snapshot(net);
				Training.train(net, 3, SIZE, 21);
				Training.assertOnlyTrainableMoved(net, before, p -> false);
				if (strategy != FineTuning.Strategy.LORA)
					continue;
				float[] adapted = Training.output(net, SIZE);
				Path file = tmp.getRoot().toPath().resolve("deeplab.mnmodel");
				save(net, file);
				try (Network copy = ModelBundle.load(file).instantiate("2d", root)) {
					assertEquals(net.adaptedLayers().size(), ((FineTunedNetwork) copy).adaptedLayers().size());
					assertEquals(Training.trainableNames(net), Training.trainableNames(copy));
					Training.assertBitIdentical("restored from the bundle", adapted, Training.output(copy, SIZE));
				}
				FineTuner.mergeAdapters(net);
				// relative to the logits' size: DeepLab's logits reach tens, where float rounding of the merged weights
				// alone is about 1e-6 relative
				double diff = Training.maxAbsDifference(adapted, Training.output(net, SIZE));
				double scale = Math.max(1, Training.maxAbsDifference(adapted, new float[adapted.length]));
				assertTrue("merged differs from unmerged by " + diff + " at logits up to " + scale, diff <= 1e-5 * scale);
			}
		}
	}

	@Test
	public void loraTrainsANewUnetDecoderInFull() {
		SharedData.require("models/mobilenet_v2_1.0_224_imagenet_int8.tflite");
		try (FineTunedNetwork net = FineTuner.apply(create("mnv2-imagenet-unet"), FineTuning.defaults(), 1)) {
			assertTrue(param(net, "decoder.0.conv1.weight").trainable());
			assertFalse(param(net, "encoder.MobileNetV2.expanded_conv_3.expand.weight").trainable());
			assertTrue(param(net, "encoder.MobileNetV2.expanded_conv_3.expand.lora_B").trainable());
			assertFalse("the ImageNet classifier stays frozen",
					param(net, "encoder.MobileNetV2.top.Conv2d_1x1_output.bias").trainable());
		}
	}

	private static void save(Network net, Path file) {
		BundleInfo info = new BundleInfo();
		info.classNames.addAll(List.of("background", "organ"));
		info.defaultModel = "2d";
		ModelBundle bundle = new ModelBundle(info);
		bundle.put("2d", net);
		bundle.save(file);
	}
}
