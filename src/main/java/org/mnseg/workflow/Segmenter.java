package org.mnseg.workflow;

import java.util.function.BooleanSupplier;

import org.mnseg.bundle.BundleInfo;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.Normalization;
import org.mnseg.data.Volume;
import org.mnseg.inference.Segmentation;
import org.mnseg.inference.SlidingWindow;
import org.mnseg.nn.EngineThreads;
import org.mnseg.nn.Network;
import org.mnseg.nn.SliceWise;
import org.mnseg.util.UserError;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * Applies a trained network to whole volumes: the bundle's normalisation, then sliding-window inference with the
 * training patch size, then argmax. The same object serves the command line, the Fiji commands and the evaluation
 * at the end of training.
 */
public final class Segmenter implements AutoCloseable {
	private final NDManager manager;
	private final Network net;
	private final BundleInfo info;
	private final SlidingWindow.Builder windowSettings;
	private final Normalization normalization;

	/** Segments with the network of {@code role} in the bundle ({@code null}: the bundle's default). */
	public Segmenter(ModelBundle bundle, String role, Device device, SlidingWindow.Builder windowSettings) {
		this.info = bundle.info();
		this.manager = NDManager.newBaseManager(device);
		this.net = bundle.instantiate(role == null ? bundle.defaultRole() : role, manager);
		this.normalization = Normalization.parse(info.normalization);
		this.windowSettings = windowSettings;
	}

	/** The sliding-window settings a bundle was trained for, as a builder the caller may adjust. */
	public static SlidingWindow.Builder defaultWindow(BundleInfo info) {
		return SlidingWindow.builder(info.patchSize).overlap(info.overlap).blending(SlidingWindow.Blending.parse(info.blend));
	}

	public BundleInfo info() {
		return info;
	}

	/** Segments a raw (un-normalised) volume. */
	public Segmentation segment(Volume raw, boolean probabilities, SlidingWindow.Progress progress, BooleanSupplier cancelled) {
		if (raw.channels() != info.inChannels)
			throw new UserError("The image has " + raw.channels() + " channel(s); the model was trained on " + info.inChannels + ".");
		EngineThreads.prepare();
		Volume input = normalization.apply(raw);
		SlidingWindow.Builder b = windowSettings;
		if (progress != null) b = b.progress(progress);
		if (cancelled != null) b = b.cancelWhen(cancelled);
		return b.build().segment(input, x -> SliceWise.forward(net, x, false), manager, probabilities);
	}

	public Segmentation segment(Volume raw) {
		return segment(raw, false, null, null);
	}

	@Override
	public void close() {
		net.close();
		manager.close();
	}
}
