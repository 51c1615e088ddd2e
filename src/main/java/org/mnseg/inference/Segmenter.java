package org.mnseg.inference;

import java.util.List;
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
import ai.djl.ndarray.NDArray;
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
	/**
	 * The role that segments with both of an M&amp;N bundle's networks: the mean of the 3-D and the 2-D model's class
	 * probabilities (beyond the paper, which segments with the 3-D model).
	 */
	public static final String ENSEMBLE = "ensemble";

	private final Network net;
	/** The 2-D model of an {@link #ENSEMBLE}, averaged with {@link #net}; null otherwise. */
	private final Network partner;
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

	private Segmenter(Network net, Network partner, Normalization normalization, WindowSettings window, int inChannels, SliceViews views,
			BundleInfo info, NDManager owned, int passSlices) {
		this.net = net;
		this.partner = partner;
		this.normalization = normalization;
		this.window = window;
		this.inChannels = inChannels;
		this.views = views;
		this.info = info;
		this.owned = owned;
		this.passSlices = passSlices;
	}

	/**
	 * Segments with the network of {@code role} in the bundle ({@code null}: the bundle's default), or with both of its
	 * networks ({@link #ENSEMBLE}).
	 */
	public Segmenter(ModelBundle bundle, String role, Device device, WindowSettings window) {
		this(bundle, role, NDManager.newBaseManager(device), window);
	}

	private Segmenter(ModelBundle bundle, String role, NDManager manager, WindowSettings window) {
		this(instantiate(bundle, role, manager), ENSEMBLE.equals(role) ? instantiate(bundle, ModelBundle.ROLE_2D, manager) : null,
				Normalization.parse(bundle.info().normalization), window, bundle.info().inChannels, SliceViews.parse(bundle.info().views2d),
				bundle.info(), manager, 0);
	}

	/**
	 * The network of {@code role} (of an ensemble: its 3-D model); closes {@code manager}, with the networks built in it,
	 * when it cannot be built.
	 */
	private static Network instantiate(ModelBundle bundle, String role, NDManager manager) {
		try {
			if (ENSEMBLE.equals(role)) {
				if (!bundle.models().keySet().containsAll(List.of(ModelBundle.ROLE_3D, ModelBundle.ROLE_2D)))
					throw new UserError("The role '" + ENSEMBLE + "' averages a bundle's 3d and 2d models, but this bundle (method " + bundle.info().method
						+ ") holds only: " + String.join(", ", bundle.models().keySet()) + ". Segment with one of those.");
				return bundle.instantiate(ModelBundle.ROLE_3D, manager);
			}
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
		return new Segmenter(net, null, null, window, volumeChannels, views, null, null, passSlices);
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
			return sliding.segment(input, this::predict, m, probabilities);
		} finally {
			MemoryUsage.releaseDeadDirectBuffers(); // a batch of volumes would otherwise pile up the windows' buffers
		}
	}

	/** Logits for a batch of windows; an ensemble's: the log of its two networks' mean class probabilities. */
	private NDArray predict(NDArray windows) {
		NDArray logits = SliceWise.predict(net, windows, views, passSlices);
		if (partner == null) return logits;
		NDArray sum = logits.softmax(1).add(SliceWise.predict(partner, windows, views, passSlices).softmax(1));
		return SliceWise.logOfMean(sum, 2);
	}

	public Segmentation segment(Volume raw) {
		return segment(raw, false, null, null);
	}

	@Override
	public void close() {
		if (owned == null) return;
		net.close();
		if (partner != null) partner.close();
		owned.close();
	}
}
