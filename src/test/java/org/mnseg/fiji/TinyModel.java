package org.mnseg.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.RunListener;
import org.mnseg.workflow.TrainOptions;
import org.mnseg.workflow.TrainWorkflow;

import ai.djl.Device;

/** A bundle from a tiny training run on synthetic data, made once per test JVM (seconds), for the Fiji tests. */
final class TinyModel {
	private static Path bundle, dataset;

	private TinyModel() {}

	/** Training options small enough for a test: a 2-level UNet with 4 filters, two epochs of two steps. */
	static final String OPTIONS = "levels=2 base-filters=4 patch=16,16,8 iterations-per-epoch=2 warmup-epochs=1";

	/** A tiny M&amp;N: the 2-D network a small randomly initialised SegFormer (no pretrained file needed), 2 epochs of stage one. */
	static final String MN_OPTIONS = OPTIONS + " batch-size=3 stage-one-epochs=2 slices2d=4 foreground-refresh=0.75 architecture2d=segformer"
		+ " options2d={\"hidden_sizes\":[8,16,24,32],\"depths\":[1,1,1,1],\"num_attention_heads\":[1,1,2,2],\"sr_ratios\":[4,2,1,1],"
		+ "\"patch_sizes\":[7,3,3,3],\"strides\":[4,2,2,2],\"mlp_ratios\":[4,4,4,4],\"decoder_hidden_size\":16}";

	static Map<String, String> overrides(int epochs) {
		Map<String, String> m = new LinkedHashMap<>(TrainOptions.parse(OPTIONS, "Options"));
		m.put("epochs", Integer.toString(epochs));
		return m;
	}

	static synchronized Path dataset() throws Exception {
		if (dataset == null) {
			Path dir = Files.createTempDirectory("mn-fiji-data");
			dir.toFile().deleteOnExit();
			dataset = SyntheticDataset.write(dir, 4, 1, 7);
		}
		return dataset;
	}

	static synchronized Path bundle() throws Exception {
		if (bundle == null) {
			Path run = Files.createTempDirectory("mn-fiji-model");
			TrainWorkflow.Result r = TrainWorkflow.run(new TrainWorkflow.Request(dataset(), 4, "labeled-only", "cpu", overrides(2), run, false, false,
				Device.cpu()), RunListener.NONE, () -> false);
			bundle = r.bundle();
		}
		return bundle;
	}
}
