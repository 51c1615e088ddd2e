package org.mnseg.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

import org.mnseg.nn.AdamW;
import org.mnseg.nn.EngineScalar;
import org.mnseg.nn.Losses;
import org.mnseg.nn.Network;
import org.mnseg.nn.Ops;
import org.mnseg.nn.SliceViews;
import org.mnseg.nn.SliceWise;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * One network under training with its own optimiser, learning-rate schedule and epoch counter (M&N keeps one per
 * model). It works on 3-D patches whatever the network: a 2-D network sees their slices ({@link SliceWise}). A step
 * runs in its own sub-manager, closed at the end, so native memory stays flat over long runs.
 */
public final class ModelTrainer implements AutoCloseable {
	private final String role;
	private final Network net;
	private final AdamW optimizer;
	/** Replaced only when the warm-up ends early ({@link #endStageOneAt}). */
	private LrSchedule schedule;
	private final double weightCe;
	private final double weightDice;
	/** The orientations a 2-D network reads patches in (always {@link SliceViews#AXIAL} for a 3-D network). */
	private final SliceViews views;
	/**
	 * Most slices a 2-D network takes per pass when it teaches, when it predicts during training, and in its steps if
	 * its samples are independent in training ({@link #backwardInPasses}); 0: the whole batch at once.
	 */
	private final int passSlices;

	public ModelTrainer(String role, Network net, LrSchedule schedule, double weightDecay, double weightCe, double weightDice) {
		this(role, net, SliceViews.AXIAL, 0, schedule, weightDecay, weightCe, weightDice);
	}

	public ModelTrainer(String role, Network net, SliceViews views, int passSlices, LrSchedule schedule, double weightDecay, double weightCe,
		double weightDice) {
		if (passSlices < 0) throw new IllegalArgumentException("passSlices must be 0 (the whole batch) or more, got " + passSlices);
		this.role = role;
		this.net = net;
		this.views = net.spatialDims() == 2 ? views : SliceViews.AXIAL;
		this.passSlices = net.spatialDims() == 2 ? passSlices : 0;
		this.schedule = schedule;
		this.optimizer = new AdamW(net.params(), (float) weightDecay);
		this.weightCe = weightCe;
		this.weightDice = weightDice;
	}

	public String role() {
		return role;
	}

	public Network network() {
		return net;
	}

	public SliceViews views() {
		return views;
	}

	/** Most slices a 2-D network takes per pass (0: the whole batch); see {@link #passSlices}. */
	public int passSlices() {
		return passSlices;
	}

	public AdamW optimizer() {
		return optimizer;
	}

	public LrSchedule schedule() {
		return schedule;
	}

	/** Ends stage 1 of this model's schedule at epoch {@code end}: stage 2's restart moves there. */
	public void endStageOneAt(int end) {
		schedule = schedule.stageOneEndingAt(end);
	}

	/**
	 * One optimisation step on a batch with hard labels only.
	 *
	 * @param images N x C x Z x Y x X values, C order
	 * @param imageShape {N, C, Z, Y, X}
	 * @param labels N x Z x Y x X class indices
	 * @return the loss before the update
	 */
	public double stepOnLabels(float[] images, long[] imageShape, byte[] labels, double lr) {
		try (NDManager step = net.manager().newSubManager()) {
			NDArray x = step.create(images, new Shape(imageShape));
			return step(List.of(x), List.of(oneHot(step, labels, imageShape)), (int) imageShape[0], lr, 0);
		}
	}

	/** Labels N x Z x Y x X (bytes) as one-hot N x K x Z x Y x X floats in {@code m}. */
	public NDArray oneHot(NDManager m, byte[] labels, long[] imageShape) {
		NDArray y = m.create(labels, new Shape(imageShape[0], imageShape[2], imageShape[3], imageShape[4])).toType(DataType.INT64, false);
		return Losses.oneHot(y, net.numClasses());
	}

	/**
	 * One optimisation step with M&N's mixed loss: the first {@code nLabeled} patches of the batch have one-hot targets
	 * (L_l), the rest soft pseudo-labels (L_u); L = b_l/B L_l + b_u/B L_u, each of the form w_ce KL + w_dice Dice. A 2-D
	 * network reading several views gets the batch once per view: {@code xs} and {@code targets} hold it per view
	 * (slicing axis at the depth position, as {@link SliceViews.View#of} turns it), and the loss is the mean of the
	 * views' losses, so each orientation learns on its own terms.
	 *
	 * @param xs N x C x Z x Y x X patches per view, in the caller's step manager
	 * @param targets N x K x Z x Y x X targets per view (no gradient flows into them)
	 * @param randomSeed seeds the engine's generator (dropout, drop-path) so that a resumed run repeats the step
	 * @return the loss before the update
	 */
	public double step(List<NDArray> xs, List<NDArray> targets, int nLabeled, double lr, int randomSeed) {
		double value = backward(xs, targets, nLabeled, randomSeed);
		optimizer.step((float) lr);
		return value;
	}

	/** The loss of {@link #step}, its gradients left on the parameters for the optimiser. */
	double backward(List<NDArray> xs, List<NDArray> targets, int nLabeled, int randomSeed) {
		// a network that normalises over the batch in training (SegFormer's decode head) takes its batch whole
		boolean inPasses = passSlices > 0 && net.samplesIndependentInTraining() && sliceCount(xs.get(0)) > passSlices;
		return inPasses ? backwardInPasses(xs, targets, nLabeled, randomSeed) : backwardWhole(xs, targets, nLabeled, randomSeed);
	}

	private double backwardWhole(List<NDArray> xs, List<NDArray> targets, int nLabeled, int randomSeed) {
		Engine.getInstance().setRandomSeed(randomSeed);
		return backwardOfViews(v -> SliceWise.forward(net, xs.get(v), true), targets, nLabeled);
	}

	/** Backward from the mean of the views' mixed losses, each view's logits made by {@code logits}; returns the loss. */
	private double backwardOfViews(IntFunction<NDArray> logits, List<NDArray> targets, int nLabeled) {
		try (GradientCollector gc = newGradientCollector()) {
			NDArray loss = null;
			for (int v = 0; v < targets.size(); v++) {
				NDArray viewLoss = mixedLoss(logits.apply(v), targets.get(v), nLabeled);
				loss = loss == null ? viewLoss : loss.add(viewLoss);
			}
			if (targets.size() > 1) loss = loss.div(EngineScalar.of(loss, targets.size()));
			gc.backward(loss);
			return loss.getFloat();
		}
	}

	/**
	 * The same gradients as {@link #backwardWhole} (up to rounding) with a 2-D network's activations held for at most
	 * {@link #passSlices} slices at a time, for one more forward pass. The loss cannot be split by slices (its Dice term
	 * sums over the whole batch), so it is taken on logits computed without a graph; its gradient with respect to those
	 * logits is then sent back through each pass of slices recomputed with one. Each pass reseeds the engine's generator
	 * the same way both times, so dropout draws the same mask in the recomputation.
	 */
	private double backwardInPasses(List<NDArray> xs, List<NDArray> targets, int nLabeled, int randomSeed) {
		List<NDArray> slices = new ArrayList<>(), logits = new ArrayList<>();
		JniUtils.setGradMode(false); // the first forward pass records no graph, on whatever thread (see EngineThreads)
		for (NDArray x : xs) {
			NDArray s = SliceWise.toSlices(SliceWise.input(net, x));
			slices.add(s);
			NDArray all = SliceWise.forwardSlices(net, s, true, passSlices, reseedPerPass(randomSeed));
			all.setRequiresGradient(true);
			logits.add(all);
		}
		double value = backwardOfViews(v -> SliceWise.fromSlices(logits.get(v), xs.get(v).getShape().get(0), xs.get(v).getShape().get(2)), targets,
			nLabeled);
		for (int v = 0; v < xs.size(); v++) {
			NDArray gradient = logits.get(v).getGradient();
			forEachPass(slices.get(v), randomSeed, (pass, in) -> {
				try (NDManager scratch = in.getManager().newSubManager(); GradientCollector gc = newGradientCollector()) {
					in.tempAttach(scratch);
					NDArray out = net.forward(in, true);
					NDArray passGradient = gradient.get(pass);
					passGradient.attach(scratch);
					JniUtils.backward((PtNDArray) out, (PtNDArray) passGradient, false, false);
				}
			});
		}
		return value;
	}

	/** Runs {@code pass} on consecutive groups of at most {@link #passSlices} slices, reseeding before each as the first pass did. */
	private void forEachPass(NDArray slices, int randomSeed, BiConsumer<NDIndex, NDArray> pass) {
		List<NDIndex> ranges = SliceWise.passes(slices.getShape().get(0), passSlices);
		IntConsumer reseed = reseedPerPass(randomSeed);
		for (int k = 0; k < ranges.size(); k++) {
			reseed.accept(k);
			pass.accept(ranges.get(k), slices.get(ranges.get(k)));
		}
	}

	/**
	 * The engine's generator before pass {@code k} of a step: one rule for the no-graph pass and its recomputation, so
	 * that both draw the same dropout mask.
	 */
	private static IntConsumer reseedPerPass(int randomSeed) {
		return k -> Engine.getInstance().setRandomSeed(randomSeed + k);
	}

	private static long sliceCount(NDArray x) {
		Shape s = x.getShape();
		return s.get(0) * s.get(2);
	}

	private GradientCollector newGradientCollector() {
		return Engine.getEngine(net.manager().getEngine().getEngineName()).newGradientCollector();
	}

	/** L = b_l/B L_l + b_u/B L_u over a batch whose first {@code nLabeled} patches are the labeled ones. */
	private NDArray mixedLoss(NDArray logits, NDArray target, int nLabeled) {
		long n = logits.getShape().get(0);
		if (nLabeled == n || nLabeled == 0) return partLoss(logits, target);
		NDIndex lab = new NDIndex(":" + nLabeled);
		NDIndex unl = new NDIndex(nLabeled + ":");
		return partLoss(logits.get(lab), target.get(lab)).mul(EngineScalar.of(logits, (float) nLabeled / n))
			.add(partLoss(logits.get(unl), target.get(unl)).mul(EngineScalar.of(logits, (float) (n - nLabeled) / n)));
	}

	/**
	 * This network's class probabilities for patches (eval mode, no gradient): the pseudo-labels it teaches with; for a
	 * 2-D network reading several views, their mean. Only they join the caller's step: every layer's output of the
	 * teacher's forward pass is freed on return, where it would otherwise stay beside the student's forward and
	 * backward pass until the step ends.
	 */
	public NDArray teach(NDArray x) {
		return Ops.scoped(x, (in, scratch) -> SliceWise.forward(net, in, false, views, passSlices).softmax(1).stopGradient());
	}

	/** L = w_ce * KL(target || softmax) + w_dice * squared Dice, as the reference code computes L_l and L_u. */
	public NDArray partLoss(NDArray logits, NDArray target) {
		// engine-owned scalars: a Java-backed one would be freed before backward reads it (see EngineScalar)
		return Losses.klDiv(logits, target).mul(EngineScalar.of(logits, (float) weightCe))
			.add(Losses.squaredDice(logits, target).mul(EngineScalar.of(logits, (float) weightDice)));
	}

	/** Keeps the given depth positions (slices along Z) of N x C x Z x Y x X patches. */
	public static NDArray selectSlices(NDArray x, int[] z) {
		NDList parts = new NDList();
		for (int k : z) parts.add(x.get(new NDIndex(":, :, " + k + ":" + (k + 1))));
		return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 2);
	}

	@Override
	public void close() {
		optimizer.close();
		net.close();
	}
}
