package org.mnseg.nn2d.segformer;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;
import org.mnseg.pretrained.Npy;
import org.mnseg.testutil.SharedData;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * SegFormer against the team's golden outputs of Hugging Face's forward pass (see the README beside them): every
 * stage and the logits within |a-b| <= 1e-4 + 1e-4 |b|, which catches tanh-GELU, a wrong LayerNorm eps or concat
 * order.
 */
public class SegFormerGoldenTest {
	private static final String GOLDEN = "models/golden/segformer";

	@Test
	public void tinyMatchesHuggingFace() throws Exception {
		check("tiny", "tiny");
	}

	@Test
	public void tinyOddSizesMatchHuggingFace() throws Exception {
		check("tiny_odd", "tiny");
	}

	@Test
	public void b0MatchesHuggingFace() throws Exception {
		check("b0", "b0");
	}

	private static void check(String inputs, String weights) throws Exception {
		Path dir = SharedData.require(GOLDEN);
		try (NDManager root = NDManager.newBaseManager()) {
			SegFormerConfig config = SegFormerConfig.fromJson(dir.resolve(weights + ".config.json"));
			try (SegFormer net = new SegFormer(config, 3, 2, false, root, 1)) {
				List<String> untouched = net.loadHuggingFace(dir.resolve(weights + ".safetensors"),
						dir.resolve(weights + ".config.json"));
				assertEquals(List.of("head.weight", "head.bias"), untouched);
				Npy in = Npy.read(dir.resolve(inputs + ".input.npy"));
				NDArray input = root.create(in.data(), new Shape(shapeOf(in)));
				NDList out = net.forwardStages(input);
				for (int s = 0; s < 4; s++) {
					Npy want = Npy.read(dir.resolve(inputs + ".stage" + (s + 1) + ".npy"));
					// the golden stages hold sample 0 only
					NDArray got = out.get(s).get(new NDIndex("0:1"));
					assertClose(inputs + " stage " + (s + 1), want, got);
				}
				assertClose(inputs + " logits", Npy.read(dir.resolve(inputs + ".logits.npy")), out.get(4));
			}
		}
	}

	/**
	 * Training loads a registry checkpoint without its config.json into the network its architecture name builds:
	 * the result computes the same logits, and a checkpoint of another size is refused naming what does not fit.
	 */
	@Test
	public void b0LoadedWithoutConfigAsTrainingDoesMatchesHuggingFace() throws Exception {
		Path dir = SharedData.require(GOLDEN);
		try (NDManager root = NDManager.newBaseManager();
			SegFormer net = SegFormerFactory.create("segformer-b0", new java.util.HashMap<>(java.util.Map.of("num_classes", 2, "in_channels", 3)), root, 1)) {
			assertEquals(List.of("head.weight", "head.bias"), net.loadHuggingFace(dir.resolve("b0.safetensors")));
			Npy in = Npy.read(dir.resolve("b0.input.npy"));
			assertClose("b0 logits", Npy.read(dir.resolve("b0.logits.npy")), net.forwardStages(root.create(in.data(), new Shape(shapeOf(in)))).get(4));
		}
		try (NDManager root = NDManager.newBaseManager();
			SegFormer b1 = SegFormerFactory.create("segformer-b1", new java.util.HashMap<>(java.util.Map.of("num_classes", 2)), root, 1)) {
			b1.loadHuggingFace(dir.resolve("b0.safetensors"));
			org.junit.Assert.fail("a B0 checkpoint must not load into a B1");
		} catch (org.mnseg.util.UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("does not fit this segformer-b1"));
		}
	}

	private static long[] shapeOf(Npy array) {
		return Arrays.stream(array.shape()).asLongStream().toArray();
	}

	private static void assertClose(String what, Npy want, NDArray got) {
		assertArrayEquals(what + " shape", shapeOf(want), got.getShape().getShape());
		float[] g = got.toFloatArray();
		double worst = 0;
		int at = -1;
		for (int i = 0; i < g.length; i++) {
			double excess = Math.abs(g[i] - (double) want.data()[i]) - (1e-4 + 1e-4 * Math.abs(want.data()[i]));
			if (at < 0 || excess > worst) {
				worst = excess;
				at = i;
			}
		}
		assertTrue(what + ": element " + at + " is " + g[at] + ", expected " + want.data()[at] + " within 1e-4 + 1e-4|b|",
				worst <= 0);
	}
}
