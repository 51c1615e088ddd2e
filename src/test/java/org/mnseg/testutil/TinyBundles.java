package org.mnseg.testutil;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mnseg.bundle.BundleInfo;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.models.NetworkFactory;
import org.mnseg.nn.Network;
import org.mnseg.nn.UNet3D;

import ai.djl.ndarray.NDManager;

/**
 * Model bundles built in memory (untrained networks, seconds) for {@link SyntheticDataset}'s classes: a 3-D UNet and,
 * as an M&amp;N bundle holds, a 2-D partner, without a training run.
 */
public final class TinyBundles {
	private TinyBundles() {}

	/** The 2-D partner of a bundle. */
	public enum Partner {
		/** none: a labeled-only bundle */
		NONE,
		/** a small SegFormer, applied slice by slice as every 2-D network is */
		SEGFORMER,
		/** the 3-D network itself under the 2-D role: the two models agree on every voxel */
		SAME
	}

	/** A SegFormer small enough for a test, from random weights (needs no pretrained file). */
	public static Map<String, Object> tinySegFormer() {
		Map<String, Object> c = new LinkedHashMap<>();
		c.put("in_channels", 1);
		c.put("num_classes", 3);
		c.put("hidden_sizes", List.of(8, 16, 24, 32));
		c.put("depths", List.of(1, 1, 1, 1));
		c.put("num_attention_heads", List.of(1, 1, 2, 2));
		c.put("sr_ratios", List.of(4, 2, 1, 1));
		c.put("patch_sizes", List.of(7, 3, 3, 3));
		c.put("strides", List.of(4, 2, 2, 2));
		c.put("mlp_ratios", List.of(4, 4, 4, 4));
		c.put("decoder_hidden_size", 16);
		return c;
	}

	public static BundleInfo info(String method, List<String> labeledCases) {
		BundleInfo i = new BundleInfo();
		i.method = method;
		i.classNames.addAll(List.of("background", "ball", "box"));
		i.window = new BundleInfo.Window(new int[] { 16, 16, 8 }, 0.5, "uniform", 4);
		i.normalization = "mri";
		i.spacing = new double[] { 1, 1, 2 };
		i.seed = 5;
		i.labeledCases.addAll(labeledCases);
		i.labeled = labeledCases.size();
		return i;
	}

	/** Writes a bundle with a 3-D UNet from {@code seed} and the given partner. */
	public static Path write(Path file, Partner partner, long seed, List<String> labeledCases) {
		ModelBundle b = new ModelBundle(info(partner == Partner.NONE ? "labeled-only" : "mn", labeledCases));
		try (NDManager m = NDManager.newBaseManager()) {
			UNet3D net3d = new UNet3D(m, 1, 3, 2, 4, seed);
			b.put("3d", net3d);
			if (partner == Partner.SAME) b.put("2d", net3d);
			if (partner == Partner.SEGFORMER)
				try (Network net2d = NetworkFactory.create("segformer", tinySegFormer(), m, seed + 1)) {
					b.put("2d", net2d);
				}
			b.save(file);
		}
		return file;
	}
}
