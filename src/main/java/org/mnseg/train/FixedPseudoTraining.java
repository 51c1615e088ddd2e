package org.mnseg.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mnseg.data.LabelVolume;
import org.mnseg.data.Sample;

/**
 * The paper's fixed-pseudo-label ablation: the same warm-up as M&N, then the 2-D model labels the unlabeled volumes
 * once and the 3-D model alone trains on labeled patches mixed with those fixed masks, under the same sampling. Without
 * a 2-D model (the oracle diagnostic) the masks are the unlabeled volumes' true labels, read with them.
 */
final class FixedPseudoTraining implements MethodTraining {
	private static final String PSEUDO = "pseudo/%05d";

	private final EpochTrainer trainer;
	private final ModelTrainer net3d, net2d;
	private final int stageOne;
	private final UnlabeledShare share;
	/** The unlabeled volumes with the 2-D model's masks as labels, made when stage 2 starts (the true labels: oracle). */
	private List<Sample> pseudoLabeled;

	FixedPseudoTraining(TrainingPlan plan, EpochTrainer trainer, ModelTrainer net3d, ModelTrainer net2d) {
		this.trainer = trainer;
		this.net3d = net3d;
		this.net2d = net2d;
		this.stageOne = plan.stageOneEpochs();
		this.share = new UnlabeledShare(plan, LrgSampling.parse(plan.settings().lrg));
		if (net2d == null) pseudoLabeled = trainer.data().unlabeled();
	}

	@Override
	public List<RunListener.EpochReport> epoch(int epoch) {
		if (epoch < stageOne)
			return net2d == null ? List.of(trainer.epoch(net3d, epoch)) : List.of(trainer.epoch(net3d, epoch), trainer.epoch(net2d, epoch));
		if (pseudoLabeled == null) labelOnce();
		int[] perStep = share.perStep(trainer, net3d, epoch, pseudoLabeled.size());
		// the fixed masks say where the foreground is
		return List.of(trainer.epoch(net3d, epoch, new UnlabeledBatches(pseudoLabeled, null, null, perStep)));
	}

	private void labelOnce() {
		List<Sample> unlabeled = trainer.data().unlabeled();
		pseudoLabeled = trainer.predictAll(net2d, unlabeled, "Labeling the unlabeled volumes once (2-D model)", true,
			(s, labels) -> new Sample(s.id(), s.image(), labels));
	}

	/** The 2-D model's labels for the unlabeled volumes, made when stage 2 starts. */
	@Override
	public List<RunClock.Planned> predictionsAhead() {
		if (net2d == null || stageOne >= trainer.epochs()) return List.of();
		return List.of(new RunClock.Planned(stageOne, net2d.role(), EpochTrainer.voxels(trainer.data().unlabeled())));
	}

	@Override
	public Map<String, byte[]> state() {
		Map<String, byte[]> blobs = new LinkedHashMap<>();
		// the oracle's masks are read with the volumes again on resume
		if (pseudoLabeled != null && net2d != null)
			for (int i = 0; i < pseudoLabeled.size(); i++) blobs.put(String.format(Locale.ROOT, PSEUDO, i), pseudoLabeled.get(i).label().data());
		return blobs;
	}

	@Override
	public void restore(Map<String, byte[]> state) {
		List<Sample> pseudo = new ArrayList<>();
		for (int i = 0; i < trainer.data().unlabeled().size(); i++) {
			byte[] p = state.get(String.format(Locale.ROOT, PSEUDO, i));
			if (p == null) continue;
			Sample s = trainer.data().unlabeled().get(i);
			pseudo.add(new Sample(s.id(), s.image(), LabelVolume.wrap(p, s.image().shape(), s.image().geometry())));
		}
		// nothing saved: the masks are still to be made (or, for the oracle, were read with the volumes)
		if (!pseudo.isEmpty()) pseudoLabeled = pseudo;
	}
}
