package org.mnseg.inference;

import java.util.function.BooleanSupplier;

import org.mnseg.bundle.BundleInfo;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.Normalization;
import org.mnseg.data.Volume;
import org.mnseg.nn.EngineThreads;
import org.mnseg.nn.Network;
import org.mnseg.nn.SliceViews;
import org.mnseg.nn.SliceWise;
import org.mnseg.util.MemoryUsage;
import org.mnseg.util.UserError;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * Applies a network to whole volumes: normalisation, then sliding-window inference with the window settings the
 * network was trained with, then argmax. The one way this project predicts: the command line, the Fiji commands
 * and the evaluation at the end of training use a network from a model bundle; validation, foreground maps and
 * pseudo-labels during training use the network being trained ({@link #of}).
 *
 * <p>Holds no per-call state: progress and cancel checks are given to each {@link #segment} call.
 */
public final class Segmenter implements AutoCloseable {
	private final Network net;
	/** Applied to every input; null when inputs arrive normalised (training data). */
	private final Normalization normalization;
	private final WindowSettings window;
	private final int inChannels;
	/** The orientations a 2-D network reads the volume in (ignored by a 3-D network). */
	private final SliceViews views;
	/** The bundle the network came from; null for an in-memory network. */
	private final BundleInfo info;
	/** The manager this segmenter owns (and closes with the network); null when the network is the caller's. */
	private final NDManager owned;
	/** Most slices a 2-D network takes per forward pass (0: one window's slices at once). */
	private final int passSlices;

	private Segmenter(Network net, Normalization normalization, WindowSettings window, int inChannels, SliceViews views, BundleInfo info,
			NDManager owned, int passSlices) {
		this.net = net;
		this.normalization = normalization;
		this.window = window;
		this.inChannels = inChannels;
		this.views = views;
		this.info = info;
		this.owned = owned;
		this.passSlices = passSlices;
	}

	/** Segments with the network of {@code role} in the bundle ({@code null}: the bundle's default). */
	public Segmenter(ModelBundle bundle, String role, Device device, WindowSettings window) {
		this(bundle, role, NDManager.newBaseManager(device), window);
	}

	private Segmenter(ModelBundle bundle, String role, NDManager manager, WindowSettings window) {
		this(instantiate(bundle, role, manager), Normalization.parse(bundle.info().normalization), window, bundle.info().inChannels,
				SliceViews.parse(bundle.info().views2d), bundle.info(), manager, 0);
	}

	private static Network instantiate(ModelBundle bundle, String role, NDManager manager) {
		try {
			return bundle.instantiate(role == null ? bundle.defaultRole() : role, manager);
		} catch (RuntimeException e) {
			manager.close();
			throw e;
		}
	}

	/**
	 * Segments with a network in memory (the one being trained) whose inputs arrive normalised; {@link #close} leaves
	 * the network to its owner.
	 *
	 * @param volumeChannels the channels of the volumes it is given (a 2.5-D network takes 1-channel volumes)
	 * @param views          the orientations a 2-D network reads the volumes in
	 * @param passSlices     most slices a 2-D network takes per forward pass (0: one window's slices at once)
	 */
	public static Segmenter of(Network net, WindowSettings window, int volumeChannels, SliceViews views, int passSlices) {
		return new Segmenter(net, null, window, volumeChannels, views, null, null, passSlices);
	}

	/** {@link #of(Network, WindowSettings, int, SliceViews, int)} reading axial slices (a 3-D network reads the volume). */
	public static Segmenter of(Network net, WindowSettings window, int volumeChannels) {
		return of(net, window, volumeChannels, SliceViews.AXIAL, 0);
	}

	/** The window settings a bundle was trained with (format 1 bundles: from the fields they kept then). */
	public static WindowSettings defaultWindow(BundleInfo info) {
		BundleInfo.Window w = info.window();
		return new WindowSettings(w.patch, w.overlap, SlidingWindow.Blending.parse(w.blending), w.batch);
	}

	/** The bundle's description; null for an in-memory network. */
	public BundleInfo info() {
		return info;
	}

	public WindowSettings window() {
		return window;
	}

	/**
	 * Segments a raw (un-normalised) volume.
	 *
	 * @param progress  told after each window batch; may be null
	 * @param cancelled checked before each window batch; may be null
	 */
	public Segmentation segment(Volume raw, boolean probabilities, SlidingWindow.Progress progress, BooleanSupplier cancelled) {
		if (raw.channels() != inChannels)
			throw new UserError("The image has " + raw.channels() + " channel(s); the model was trained on " + inChannels + ".");
		EngineThreads.prepare();
		Volume input = normalization == null ? raw : normalization.apply(raw);
		SlidingWindow sliding = SlidingWindow.builder(window).progress(progress).cancelWhen(cancelled).build();
		try (NDManager m = net.manager().newSubManager()) {
			return sliding.segment(input, x -> SliceWise.predict(net, x, views, passSlices), m, probabilities);
		} finally {
			MemoryUsage.releaseDeadDirectBuffers(); // a batch of volumes would otherwise pile up the windows' buffers
		}
	}

	public Segmentation segment(Volume raw) {
		return segment(raw, false, null, null);
	}

	@Override
	public void close() {
		if (owned == null) return;
		net.close();
		owned.close();
	}
}
