package org.mnseg.bundle;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.nn.UNet3D;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDManager;

/** A bundle whose weights hold a NaN or an infinity is neither written nor read: such a model segments nothing. */
public class NonFiniteBundleTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** A tiny bundle whose first tensor of the '3d' model has one NaN and one infinity. */
	private static ModelBundle poisoned(NDManager m) {
		BundleInfo info = new BundleInfo();
		info.classNames.add("background");
		info.classNames.add("ball");
		ModelBundle b = new ModelBundle(info);
		b.put("3d", new UNet3D(m, 1, 2, 2, 4, 7));
		Map.Entry<String, TensorStore.Tensor> first = b.models().get("3d").weights().asMap().entrySet().iterator().next();
		first.getValue().data()[0] = Float.NaN;
		first.getValue().data()[1] = Float.NEGATIVE_INFINITY;
		return b;
	}

	private static String firstTensor(ModelBundle b) {
		return b.models().get("3d").weights().asMap().keySet().iterator().next();
	}

	@Test
	public void saveRefusesNonFiniteWeightsAndWritesNothing() {
		Path file = tmp.getRoot().toPath().resolve("nan.mnmodel");
		try (NDManager m = NDManager.newBaseManager()) {
			ModelBundle b = poisoned(m);
			try {
				b.save(file);
				fail("a bundle with NaN weights was written");
			} catch (UserError e) {
				String msg = e.getMessage();
				assertTrue(msg, msg.contains("Refusing to write") && msg.contains(file.toString()) && msg.contains("'3d'")
					&& msg.contains("2 NaN or infinite") && msg.contains(firstTensor(b)));
			}
		}
		assertFalse(Files.exists(file));
	}

	@Test
	public void loadRefusesNonFiniteWeightsNamingBundleAndTensor() {
		Path file = tmp.getRoot().toPath().resolve("nan.mnmodel");
		String tensor;
		try (NDManager m = NDManager.newBaseManager()) {
			ModelBundle b = poisoned(m);
			tensor = firstTensor(b);
			b.toContainer().write(file); // past save's check, as a damaged or foreign file would be
		}
		try {
			ModelBundle.load(file);
			fail("a bundle with NaN weights was read");
		} catch (UserError e) {
			String msg = e.getMessage();
			assertTrue(msg, msg.contains(file.toString()) && msg.contains("'" + tensor + "'") && msg.contains("2 NaN or infinite"));
		}
	}
}
