package org.mnseg.train;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedSet;

/**
 * M&N (and its control): both models on labeled patches for the warm-up (stage 1), then co-training (stage 2): each
 * epoch the 2-D model learns from the 3-D model's soft pseudo-labels, then the 3-D model from the 2-D model's, on
 * batches whose unlabeled share follows learning-rate-guided sampling. The control samples no unlabeled patch, so
 * M&N minus the control is the gain of co-training itself.
 */
final class CoTraining implements MethodTraining {
	private static final String FOREGROUND = "foreground/%05d";
	/** The epoch an early warm-up end ({@code --stage-one-gap}) moved stage 2 to, kept with the checkpoint. */
	private static final String STAGE_ONE_END = "stage-one-end";

	private final EpochTrainer trainer;
	private final ModelTrainer net3d, net2d;
	private final UnlabeledShare share;
	/** Dice points within which the 2-D model's validation Dice ends the warm-up; negative: a fixed warm-up. */
	private final double stageOneGap;
	private final int checkInterval;
	/** The warm-up's planned length (its cap with {@code --stage-one-gap}). */
	private final int plannedStageOne;
	private final SortedSet<Integer> refreshEpochs;
	/** The epoch of the latest warm-up check and the 3-D model's validation Dice there (-1: none yet). */
	private int checkedEpoch = -1;
	private double checkedDice3d;
	/** Where each unlabeled volume's foreground is (the 3-D model's latest prediction), for foreground-biased crops. */
	private List<byte[]> foregroundMaps;

	CoTraining(TrainingPlan plan, EpochTrainer trainer, ModelTrainer net3d, ModelTrainer net2d) {
		this.trainer = trainer;
		this.net3d = net3d;
		this.net2d = net2d;
		this.stageOneGap = plan.settings().stageOneGap;
		this.checkInterval = plan.settings().validationInterval();
		this.plannedStageOne = plan.stageOneEpochs();
		this.share = new UnlabeledShare(plan, plan.method() == Method.MN_CONTROL ? LrgSampling.NONE : LrgSampling.parse(plan.settings().lrg));
		this.refreshEpochs = plan.foregroundRefreshEpochs();
	}

	@Override
	public List<RunListener.EpochReport> epoch(int epoch) {
		if (epoch < stageOne()) {
			List<RunListener.EpochReport> reports = List.of(trainer.epoch(net3d, epoch), trainer.epoch(net2d, epoch));
			if (checksWarmUpAfter(epoch)) compareOnValidation(epoch);
			return reports;
		}
		if (share.none()) return List.of(trainer.epoch(net2d, epoch), trainer.epoch(net3d, epoch));
		if (foregroundMaps == null || refreshEpochs.contains(epoch)) refreshForeground(epoch);
		// one round: an epoch of the 2-D model taught by the 3-D model, then the reverse
		return List.of(trainer.epoch(net2d, epoch, unlabeled(net2d, net3d, epoch)), trainer.epoch(net3d, epoch, unlabeled(net3d, net2d, epoch)));
	}

	/** Where stage 2 starts: the plan's warm-up length, or the epoch {@link #compareOnValidation} ended it at. */
	private int stageOne() {
		return net3d.schedule().stageOneEpochs();
	}

	/** With {@code --stage-one-gap}, the warm-up is checked at each validation epoch before its last. */
	private boolean checksWarmUpAfter(int epoch) {
		return stageOneGap >= 0 && (epoch + 1) % checkInterval == 0 && epoch + 1 < stageOne();
	}

	/**
	 * Both models on the held-out volumes: once the 2-D model's Dice is within {@code stageOneGap} points of the 3-D
	 * model's, its pseudo-labels are about as good as the 3-D model's own, so co-training starts with the next epoch.
	 */
	private void compareOnValidation(int epoch) {
		String after = "Warm-up check after epoch " + (epoch + 1);
		checkedDice3d = trainer.validationDice(net3d, after + ", 3-D model");
		checkedEpoch = epoch;
		double dice3d = 100 * checkedDice3d;
		double dice2d = 100 * trainer.validationDice(net2d, after + ", 2-D model");
		boolean close = dice2d >= dice3d - stageOneGap;
		trainer.listener().message(String.format(Locale.ROOT, "%s: validation Dice 2-D %.2f, 3-D %.2f: %s", after, dice2d, dice3d, close
			? "within " + stageOneGap + " points, co-training starts at epoch " + (epoch + 2)
			: "the warm-up goes on (at most to epoch " + stageOne() + ")"));
		if (close) endStageOneAt(epoch + 1);
	}

	@Override
	public OptionalDouble validationDiceOf(int epoch) {
		return epoch == checkedEpoch ? OptionalDouble.of(checkedDice3d) : OptionalDouble.empty();
	}

	private void endStageOneAt(int end) {
		net3d.endStageOneAt(end);
		net2d.endStageOneAt(end);
	}

	/**
	 * The foreground refreshes: at the start of stage 2 and at the refresh epochs after it (none in the control); and
	 * with {@code --stage-one-gap}, the 2-D model's validations during the warm-up (the 3-D model's are the run's own,
	 * at the same epochs: {@link #validationDiceOf}).
	 */
	@Override
	public List<RunClock.Planned> predictionsAhead() {
		List<RunClock.Planned> p = new ArrayList<>();
		if (stageOneGap >= 0) {
			long voxels = EpochTrainer.voxels(trainer.data().validation());
			for (int e = 0; e < stageOne(); e++)
				if (checksWarmUpAfter(e)) p.add(new RunClock.Planned(e + 1, net2d.role(), voxels));
		}
		if (share.none()) return p;
		long voxels = EpochTrainer.voxels(trainer.data().unlabeled());
		for (int e : refreshEpochs)
			if (e >= stageOne() && e < trainer.epochs()) p.add(new RunClock.Planned(e, net3d.role(), voxels));
		return p;
	}

	private UnlabeledBatches unlabeled(ModelTrainer student, ModelTrainer teacher, int epoch) {
		int[] perStep = share.perStep(trainer, student, epoch, trainer.data().unlabeled().size());
		return new UnlabeledBatches(trainer.data().unlabeled(), foregroundMaps, teacher, perStep);
	}

	private void refreshForeground(int epoch) {
		foregroundMaps = trainer.predictAll(net3d, trainer.data().unlabeled(),
			"Foreground refresh before epoch " + (epoch + 1) + " (3-D model on the unlabeled volumes)", true, (s, p) -> p.foregroundMask());
	}

	@Override
	public Map<String, byte[]> state() {
		Map<String, byte[]> blobs = new LinkedHashMap<>();
		if (stageOne() != plannedStageOne) blobs.put(STAGE_ONE_END, ByteBuffer.allocate(Integer.BYTES).putInt(stageOne()).array());
		if (foregroundMaps != null)
			for (int i = 0; i < foregroundMaps.size(); i++) blobs.put(String.format(Locale.ROOT, FOREGROUND, i), foregroundMaps.get(i));
		return blobs;
	}

	@Override
	public void restore(Map<String, byte[]> state) {
		byte[] end = state.get(STAGE_ONE_END);
		if (end != null) endStageOneAt(ByteBuffer.wrap(end).getInt());
		List<byte[]> maps = new ArrayList<>();
		for (int i = 0; i < trainer.data().unlabeled().size(); i++) {
			byte[] f = state.get(String.format(Locale.ROOT, FOREGROUND, i));
			if (f != null) maps.add(f);
		}
		foregroundMaps = maps.isEmpty() ? null : maps;
	}
}
