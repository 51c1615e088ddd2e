package org.mnseg.train;

import org.mnseg.nn.AdamW;
import org.mnseg.nn.Losses;
import org.mnseg.nn.Network;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * One network under training with its own optimiser, learning-rate schedule and epoch counter (M&N keeps one per
 * model). A step runs in its own sub-manager, closed at the end, so native memory stays flat over long runs.
 */
public final class ModelTrainer implements AutoCloseable {
	private final String role;
	private final Network net;
	private final AdamW optimizer;
	private final LrSchedule schedule;
	private final double weightCe;
	private final double weightDice;

	public ModelTrainer(String role, Network net, LrSchedule schedule, double weightDecay, double weightCe, double weightDice) {
		this.role = role;
		this.net = net;
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

	public AdamW optimizer() {
		return optimizer;
	}

	public LrSchedule schedule() {
		return schedule;
	}

	/**
	 * One optimisation step on a batch with hard labels.
	 *
	 * @param images N x C x (spatial) values, C order
	 * @param imageShape {N, C, spatial...}
	 * @param labels N x (spatial) class indices
	 * @return the loss before the update
	 */
	public double stepOnLabels(float[] images, long[] imageShape, byte[] labels, double lr) {
		try (NDManager step = net.manager().newSubManager()) {
			NDArray x = step.create(images, new Shape(imageShape));
			long[] labelShape = new long[imageShape.length - 1];
			labelShape[0] = imageShape[0];
			System.arraycopy(imageShape, 2, labelShape, 1, imageShape.length - 2);
			NDArray y = step.create(labels, new Shape(labelShape)).toType(ai.djl.ndarray.types.DataType.INT64, false);
			NDArray target = Losses.oneHot(y, net.numClasses());
			return optimise(x, target, lr);
		}
	}

	/** Forward, loss, backward and update; the inputs live in the caller's step manager. */
	double optimise(NDArray x, NDArray target, double lr) {
		double value;
		try (GradientCollector gc = Engine.getEngine(net.manager().getEngine().getEngineName()).newGradientCollector()) {
			NDArray logits = net.forward(x, true);
			NDArray loss = labeledLoss(logits, target);
			gc.backward(loss);
			value = loss.getFloat();
		}
		optimizer.step((float) lr);
		return value;
	}

	/** L_l = w_ce * KL(target || softmax) + w_dice * squared Dice, as the reference code computes it. */
	public NDArray labeledLoss(NDArray logits, NDArray target) {
		return Losses.klDiv(logits, target).mul((float) weightCe).add(Losses.squaredDice(logits, target).mul((float) weightDice));
	}

	@Override
	public void close() {
		net.close();
	}
}
