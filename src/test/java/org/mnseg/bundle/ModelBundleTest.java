package org.mnseg.bundle;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.models.NetworkFactory;
import org.mnseg.nn.Network;
import org.mnseg.nn2d.mobilenet.Pretrained2dFactory;
import org.mnseg.testutil.SharedData;
import org.mnseg.nn.UNet3D;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

public class ModelBundleTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	private static BundleInfo info() {
		BundleInfo i = new BundleInfo();
		i.method = "labeled-only";
		i.classNames.add("background");
		i.classNames.add("ball");
		i.window = new BundleInfo.Window(new int[] { 16, 16, 8 }, 0.25, "gaussian", 3);
		i.normalization = "mri";
		i.spacing = new double[] { 1, 1, 2 };
		i.seed = 3;
		return i;
	}

	@Test
	public void roundTripKeepsMetadataWeightsAndOutputs() throws Exception {
		Path file = tmp.getRoot().toPath().resolve("m.mnmodel");
		try (NDManager m = NDManager.newBaseManager()) {
			UNet3D net = new UNet3D(m, 1, 2, 2, 4, 99);
			ModelBundle b = new ModelBundle(info());
			b.put("3d", net);
			b.save(file);
			ModelBundle loaded = ModelBundle.load(file);
			assertEquals("labeled-only", loaded.info().method);
			assertArrayEquals(new int[] { 16, 16, 8 }, loaded.info().window().patch);
			assertEquals(0.25, loaded.info().window().overlap, 0);
			assertEquals("gaussian", loaded.info().window().blending);
			assertEquals(3, loaded.info().window().batch);
			assertEquals("ball", loaded.info().classNames.get(1));
			assertEquals("unet3d", loaded.models().get("3d").architecture());
			try (Network copy = loaded.instantiate("3d", m)) {
				NDArray x = m.randomNormal(new Shape(1, 1, 8, 16, 16));
				assertArrayEquals(net.forward(x, false).toFloatArray(), copy.forward(x, false).toFloatArray(), 0f);
			}
		}
	}

	@Test
	public void truncatedOrForeignFilesAreRefusedClearly() throws Exception {
		Path file = tmp.getRoot().toPath().resolve("m.mnmodel");
		try (NDManager m = NDManager.newBaseManager()) {
			ModelBundle b = new ModelBundle(info());
			b.put("3d", new UNet3D(m, 1, 2, 2, 4, 99));
			b.save(file);
		}
		byte[] all = Files.readAllBytes(file);
		Path cut = tmp.getRoot().toPath().resolve("cut.mnmodel");
		Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
		expectUserError(cut, "not a readable model bundle");
		Path text = tmp.getRoot().toPath().resolve("notes.mnmodel");
		Files.writeString(text, "hello");
		expectUserError(text, "not a readable model bundle");
		expectUserError(tmp.getRoot().toPath().resolve("absent.mnmodel"), "does not exist");
	}

	@Test
	public void weightsOfAnotherArchitectureAreRefused() {
		try (NDManager m = NDManager.newBaseManager()) {
			TensorStore small = TensorStore.of(new UNet3D(m, 1, 2, 2, 4, 1).params());
			UNet3D wider = new UNet3D(m, 1, 2, 2, 8, 1);
			try {
				small.loadInto(wider.params(), "The test bundle");
				fail();
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("has shape"));
			}
		}
	}

	@Test
	public void missingRoleNamesTheAvailableOnes() throws Exception {
		Path file = tmp.getRoot().toPath().resolve("m.mnmodel");
		try (NDManager m = NDManager.newBaseManager()) {
			ModelBundle b = new ModelBundle(info());
			b.put("3d", new UNet3D(m, 1, 2, 2, 4, 99));
			b.save(file);
			try {
				ModelBundle.load(file).instantiate("2d", m);
				fail();
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("3d"));
			}
		}
	}

	private static void expectUserError(Path file, String text) {
		try {
			ModelBundle.load(file);
			fail("expected an error for " + file);
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains(text));
		}
	}

	@Test
	public void aBundleCarriesItsPretrainedFileAndOpensOfflineWithoutIt() throws Exception {
		Path sharedModels = SharedData.require("models");
		Path file = tmp.getRoot().toPath().resolve("m.mnmodel");
		String[] keys = { "mn.cache", "mn.shared", "mn.offline" };
		String[] saved = new String[keys.length];
		for (int k = 0; k < keys.length; k++) saved[k] = System.getProperty(keys[k]);
		try (NDManager m = NDManager.newBaseManager()) {
			// built from a file the user named, with nothing in the cache or shared folder: the bundle must carry that file
			System.setProperty("mn.cache", tmp.newFolder("cache-a").toString());
			System.setProperty("mn.shared", tmp.getRoot().toPath().resolve("absent").toString());
			System.setProperty("mn.offline", "true");
			String arch = Pretrained2dFactory.ARCHITECTURES.get(0);
			String fileName = Pretrained2dFactory.weightsOf(arch).fileName();
			Path ownCopy = tmp.newFolder("downloads").toPath().resolve("my-copy.tflite");
			Files.copy(sharedModels.resolve(fileName), ownCopy);
			NDArray x = m.randomNormal(new Shape(1, 1, 32, 32));
			ModelBundle b = new ModelBundle(info());
			float[] expected;
			try (Network net = NetworkFactory.create(arch, Map.of("num_classes", 2, "weights_file", ownCopy.toString()), m, 7)) {
				b.put("2d", net);
				expected = net.forward(x, false).toFloatArray();
			}
			assertTrue("the user's path is not part of the portable configuration", !b.models().get("2d").config().containsKey("weights_file"));
			b.save(file);

			// another computer: empty cache, no shared folder, no network
			Path cacheB = tmp.newFolder("cache-b").toPath();
			System.setProperty("mn.cache", cacheB.toString());
			System.setProperty("mn.shared", tmp.getRoot().toPath().resolve("absent").toString());
			ModelBundle loaded = ModelBundle.load(file);
			assertEquals(Set.of(fileName), loaded.pretrainedFiles());
			try (Network copy = loaded.instantiate("2d", m)) {
				assertArrayEquals(expected, copy.forward(x, false).toFloatArray(), 0f);
			}
			assertTrue("installed into the cache", Files.isRegularFile(cacheB.resolve("models").resolve(fileName)));
		} finally {
			for (int k = 0; k < keys.length; k++) {
				if (saved[k] == null) System.clearProperty(keys[k]);
				else System.setProperty(keys[k], saved[k]);
			}
		}
	}
}
