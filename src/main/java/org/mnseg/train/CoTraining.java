package org.mnseg.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;

import org.mnseg.data.LabelVolume;

/**
 * M&N (and its control): both models on labeled patches for the warm-up (stage 1), then co-training (stage 2): each
 * epoch the 2-D model learns from the 3-D model's soft pseudo-labels, then the 3-D model from the 2-D model's, on
 * batches whose unlabeled share follows learning-rate-guided sampling. The control samples no unlabeled patch, so
 * M&N minus the control is the gain of co-training itself.
 */
final class CoTraining implements MethodTraining {
	private static final String FOREGROUND = "foreground/%05d";

	private final EpochTrainer trainer;
	private final ModelTrainer net3d, net2d;
	private final int stageOne;
	private final UnlabeledShare share;
	private final SortedSet<Integer> refreshEpochs;
	/** Where each unlabeled volume's foreground is (the 3-D model's latest prediction), for foreground-biased crops. */
	private List<byte[]> foregroundMaps;

	CoTraining(TrainingPlan plan, EpochTrainer trainer, ModelTrainer net3d, ModelTrainer net2d) {
		this.trainer = trainer;
		this.net3d = net3d;
		this.net2d = net2d;
		this.stageOne = plan.stageOneEpochs();
		this.share = new UnlabeledShare(plan, plan.method() == Method.MN_CONTROL ? LrgSampling.NONE : LrgSampling.parse(plan.settings().lrg));
		this.refreshEpochs = plan.foregroundRefreshEpochs();
	}

	@Override
	public List<RunListener.EpochReport> epoch(int epoch) {
		if (epoch < stageOne) return List.of(trainer.epoch(net3d, epoch), trainer.epoch(net2d, epoch));
		if (share.none()) return List.of(trainer.epoch(net2d, epoch), trainer.epoch(net3d, epoch));
		if (foregroundMaps == null || refreshEpochs.contains(epoch)) refreshForeground(epoch);
		// one round: an epoch of the 2-D model taught by the 3-D model, then the reverse
		return List.of(trainer.epoch(net2d, epoch, unlabeled(net2d, net3d, epoch)), trainer.epoch(net3d, epoch, unlabeled(net3d, net2d, epoch)));
	}

	/** The foreground refreshes: at the start of stage 2 and at the refresh epochs after it (none in the control). */
	@Override
	public List<RunClock.Planned> predictionsAhead() {
		List<RunClock.Planned> p = new ArrayList<>();
		if (share.none()) return p;
		long voxels = EpochTrainer.voxels(trainer.data().unlabeled());
		for (int e : refreshEpochs)
			if (e >= stageOne && e < trainer.epochs()) p.add(new RunClock.Planned(e, net3d.role(), voxels));
		return p;
	}

	private UnlabeledBatches unlabeled(ModelTrainer student, ModelTrainer teacher, int epoch) {
		int[] perStep = share.perStep(trainer, student, epoch, trainer.data().unlabeled().size());
		return new UnlabeledBatches(trainer.data().unlabeled(), foregroundMaps, teacher, perStep);
	}

	private void refreshForeground(int epoch) {
		List<LabelVolume> predictions = trainer.predictAll(net3d, trainer.data().unlabeled(),
			"Foreground refresh before epoch " + (epoch + 1) + " (3-D model on the unlabeled volumes)", true);
		List<byte[]> maps = new ArrayList<>();
		for (LabelVolume p : predictions) maps.add(p.foregroundMask());
		foregroundMaps = maps;
	}

	@Override
	public Map<String, byte[]> state() {
		Map<String, byte[]> blobs = new LinkedHashMap<>();
		if (foregroundMaps != null)
			for (int i = 0; i < foregroundMaps.size(); i++) blobs.put(String.format(Locale.ROOT, FOREGROUND, i), foregroundMaps.get(i));
		return blobs;
	}

	@Override
	public void restore(Map<String, byte[]> state) {
		List<byte[]> maps = new ArrayList<>();
		for (int i = 0; i < trainer.data().unlabeled().size(); i++) {
			byte[] f = state.get(String.format(Locale.ROOT, FOREGROUND, i));
			if (f != null) maps.add(f);
		}
		foregroundMaps = maps.isEmpty() ? null : maps;
	}
}
