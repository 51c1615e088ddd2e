package org.mnseg.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import org.mnseg.util.UserError;

/**
 * Runs a 2-D network on 3-D patches slice by slice along the depth axis (Z, the paper's D): N x C x Z x Y x X becomes
 * (N*Z) x C x Y x X, and the logits go back to N x K x Z x Y x X. This lets a 2-D model train on the same patches as
 * the 3-D model, label unlabeled patches for it, and segment whole volumes through the same sliding window.
 *
 * <p>2.5-D input: a 2-D network built for 3 input channels that is given 1-channel volumes sees each slice with its
 * two neighbours (z-1, z, z+1) as its three channels, where a natural-image network would see the slice repeated.
 */
public final class SliceWise {
	private SliceWise() {}

	/** N x C x Z x Y x X to (N*Z) x C x Y x X. */
	public static NDArray toSlices(NDArray volumes) {
		Shape s = volumes.getShape();
		if (s.dimension() != 5) throw new IllegalArgumentException("expected N x C x Z x Y x X, got " + s);
		return volumes.transpose(0, 2, 1, 3, 4).reshape(s.get(0) * s.get(2), s.get(1), s.get(3), s.get(4));
	}

	/** (N*Z) x K x Y x X back to N x K x Z x Y x X. */
	public static NDArray fromSlices(NDArray slices, long n, long z) {
		Shape s = slices.getShape();
		return slices.reshape(n, z, s.get(1), s.get(2), s.get(3)).transpose(0, 2, 1, 3, 4);
	}

	/** Logits of any network on 3-D input: a 3-D network directly, a 2-D network slice by slice along Z. */
	public static NDArray forward(Network net, NDArray volumes, boolean training) {
		return forward(net, volumes, training, 0);
	}

	/**
	 * As {@link #forward(Network, NDArray, boolean)}, a 2-D network taking at most {@code passSlices} slices per pass
	 * (0: all at once) and each pass's intermediates freed before the next. Without a graph that bounds the memory of a
	 * forward pass; a pass of a batch-normalising network in training would see other batch statistics.
	 */
	public static NDArray forward(Network net, NDArray volumes, boolean training, int passSlices) {
		if (net.spatialDims() == 3) return net.forward(volumes, training);
		NDArray x = input(net, volumes);
		Shape s = x.getShape();
		return fromSlices(forwardSlices(net, toSlices(x), training, passSlices, pass -> {}), s.get(0), s.get(2));
	}

	/**
	 * A 2-D network's logits on (N*Z) x C x Y x X slices, at most {@code passSlices} at a time (0: all at once), each
	 * pass's intermediates freed before the next; {@code beforePass} is told each pass's index first (training reseeds
	 * the engine's generator there, so that a recomputed pass draws the same dropout).
	 */
	public static NDArray forwardSlices(Network net, NDArray slices, boolean training, int passSlices, IntConsumer beforePass) {
		List<NDIndex> passes = passes(slices.getShape().get(0), passSlices);
		if (passes.size() == 1) {
			beforePass.accept(0);
			return net.forward(slices, training);
		}
		NDList logits = new NDList();
		for (int k = 0; k < passes.size(); k++) {
			beforePass.accept(k);
			logits.add(Ops.scoped(slices.get(passes.get(k)), (p, scratch) -> net.forward(p, training)));
		}
		NDArray joined = NDArrays.concat(logits, 0);
		logits.close();
		return joined;
	}

	/** Consecutive ranges of at most {@code passSlices} of {@code n} slices; one range of all where passSlices is 0. */
	public static List<NDIndex> passes(long n, int passSlices) {
		if (passSlices <= 0 || n <= passSlices) return List.of(new NDIndex(":"));
		List<NDIndex> ranges = new ArrayList<>();
		for (long start = 0; start < n; start += passSlices) ranges.add(new NDIndex(start + ":" + Math.min(n, start + passSlices)));
		return ranges;
	}

	/**
	 * Logits for prediction: {@link #forward(Network, NDArray, boolean, SliceViews, int)} without training, except that a
	 * 2-D network takes at most one window's slices per pass (fewer: {@code passSlices}; 0: the whole window) and what
	 * it makes on the way is freed before the next window. One window is already a batch of slices (40 for LA); 8
	 * windows at once were 320, and segmenting LA volumes that way peaked at 2.9 GB where one window at a time gave
	 * 0.8 GB, the same labels, and 19% less time (a 3-D network's window batch, in contrast, does save time).
	 */
	public static NDArray predict(Network net, NDArray volumes, SliceViews views, int passSlices) {
		long n = volumes.getShape().get(0);
		if (net.spatialDims() == 3 || n == 1) return forward(net, volumes, false, views, passSlices);
		NDList windows = new NDList();
		for (long i = 0; i < n; i++) {
			NDArray window = volumes.get(new NDIndex(i + ":" + (i + 1)));
			windows.add(Ops.scoped(window, (w, scratch) -> forward(net, w, false, views, passSlices)));
			window.close();
		}
		NDArray logits = NDArrays.concat(windows, 0);
		windows.close();
		return logits;
	}

	/**
	 * As {@link #forward(Network, NDArray, boolean)}, a 2-D network reading the volumes in {@code views}: with more than
	 * one view, the log of the mean of the views' class probabilities, which a softmax turns back into that mean (what
	 * prediction and pseudo-labels use; training takes each view's loss on its own instead). {@code passSlices}: as in
	 * {@link #forward(Network, NDArray, boolean, int)}.
	 */
	public static NDArray forward(Network net, NDArray volumes, boolean training, SliceViews views, int passSlices) {
		if (net.spatialDims() == 3 || views.count() == 1) return forward(net, volumes, training, passSlices);
		NDArray sum = null;
		for (int v = 0; v < views.count(); v++) {
			SliceViews.View view = views.view(v);
			NDArray p = view.back(forward(net, view.of(volumes), training, passSlices)).softmax(1);
			sum = sum == null ? p : sum.add(p);
		}
		return logOfMean(sum, views.count());
	}

	/**
	 * Logits whose softmax is the mean of {@code count} class-probability arrays, given their sum: how predictions of
	 * several views, or of several networks, are combined.
	 */
	public static NDArray logOfMean(NDArray probabilitySum, int count) {
		// the floor keeps the log finite where every prediction gives a class zero probability
		return probabilitySum.div(EngineScalar.of(probabilitySum, count)).maximum(EngineScalar.of(probabilitySum, 1e-12f)).log();
	}

	/**
	 * Checks, on one empty patch, that {@code net} takes the slices each view cuts from training patches of size
	 * {@code patch} (x, y, z): a network's own size rule would otherwise stop the first step with a slice size the user
	 * never chose (with several views, the patch's depth is a slice side too).
	 */
	public static void requireSlicesFit(Network net, int[] patch, int channels, SliceViews views) {
		if (net.spatialDims() != 2) return;
		try (NDManager m = net.manager().newSubManager()) {
			NDArray probe = m.zeros(new Shape(1, channels, patch[2], patch[1], patch[0]));
			for (int v = 0; v < views.count(); v++) {
				NDArray viewed = views.view(v).of(probe);
				try {
					forward(net, viewed, false).close();
				} catch (UserError e) {
					Shape s = viewed.getShape();
					throw new UserError("The training patch " + patch[0] + "," + patch[1] + "," + patch[2] + " cuts " + SliceViews.name(v) + " slices of "
						+ s.get(4) + " x " + s.get(3) + " voxels, and " + e.getMessage() + (views.count() > 1
							? " (--views2d all makes the patch's depth a slice side too; or leave --views2d at axial)." : " (--patch)."), e);
				}
			}
		}
	}

	/** Whether {@code net} sees volumes of {@code channels} channels as 2.5-D (see the class comment). */
	public static boolean takesNeighbours(Network net, long channels) {
		return net.spatialDims() == 2 && net.inChannels() == 3 && channels == 1;
	}

	/**
	 * The volumes as {@code net} takes them: N x 3 x Z x Y x X with each slice's neighbours for a 2.5-D network, the
	 * volumes themselves otherwise. Training calls it before choosing slices, so that every chosen slice keeps its
	 * neighbours; {@link #forward} then finds three channels and leaves them.
	 */
	public static NDArray input(Network net, NDArray volumes) {
		return takesNeighbours(net, volumes.getShape().get(1)) ? neighbours(volumes) : volumes;
	}

	/** N x 1 x Z x Y x X to N x 3 x Z x Y x X: slices z-1, z, z+1, the end slices standing in for those beyond them. */
	static NDArray neighbours(NDArray volumes) {
		long z = volumes.getShape().get(2);
		NDArray first = volumes.get(new NDIndex(":, :, 0:1"));
		NDArray last = volumes.get(new NDIndex(":, :, " + (z - 1) + ":" + z));
		NDArray below = z == 1 ? first : NDArrays.concat(new NDList(first, volumes.get(new NDIndex(":, :, 0:" + (z - 1)))), 2);
		NDArray above = z == 1 ? last : NDArrays.concat(new NDList(volumes.get(new NDIndex(":, :, 1:" + z)), last), 2);
		return NDArrays.concat(new NDList(below, volumes, above), 1);
	}
}
