package org.mnseg.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.mnseg.finetune.FineTunedNetwork;
import org.mnseg.finetune.FineTuner;
import org.mnseg.finetune.FineTuning;
import org.mnseg.nn.AdaptableLayer;

import ai.djl.ndarray.NDManager;

/** Counts per strategy on SegFormer-B0: totals add up, adapters are rank x (in + out) per target, whole trains all. */
public class TrainableReportTest {
	@Test
	public void countsFollowTheStrategies() {
		try (NDManager m = NDManager.newBaseManager()) {
			List<TrainableReport> reports = TrainableReport.forArchitectures(List.of("segformer-b0"), 2, m);
			assertEquals(3, reports.size());
			TrainableReport lora = reports.get(0);
			TrainableReport decoder = reports.get(1);
			TrainableReport whole = reports.get(2);
			long base = whole.total().total();
			assertEquals(base, whole.total().trainable());
			assertEquals(base, decoder.total().total());
			assertEquals(0, decoder.count(TrainableReport.Group.ENCODER).trainable());
			assertEquals(decoder.count(TrainableReport.Group.DECODER).total(),
					decoder.count(TrainableReport.Group.DECODER).trainable());
			long adapters = 0;
			try (FineTunedNetwork net = FineTuner.apply(org.mnseg.models.NetworkFactory.create("segformer-b0",
					java.util.Map.of("num_classes", 2), m, 0), FineTuning.defaults(), 0)) {
				for (AdaptableLayer l : net.adaptedLayers())
					adapters += 64L * (l.inFeatures() + l.outFeatures());
			}
			assertEquals(adapters, lora.count(TrainableReport.Group.ADAPTERS).trainable());
			assertEquals(base + adapters, lora.total().total());
			assertTrue(lora.total().trainable() < decoder.total().total());
			String table = TrainableReport.markdown(reports);
			assertEquals(2 + 3, table.split("\n").length);
			assertTrue(table, table.contains("| segformer-b0 | lora |"));
		}
	}
}
