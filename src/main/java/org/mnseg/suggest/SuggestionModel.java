package org.mnseg.suggest;

import java.util.function.BooleanSupplier;

import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.Volume;
import org.mnseg.inference.Segmentation;
import org.mnseg.inference.Segmenter;
import org.mnseg.inference.SlidingWindow;

import ai.djl.Device;

/**
 * The networks of a model bundle as suggestions use them: the 3-D model and, in an M&amp;N bundle, its 2-D partner,
 * each applied through {@link Segmenter} with the bundle's sliding window (the 2-D model slice by slice, as
 * {@code mn segment --role 2d} applies it). A bundle without a partner (a labeled-only run) falls back to the 3-D
 * model's uncertainty and says so in {@link #note()}.
 */
public final class SuggestionModel implements AutoCloseable {
	public static final String MAIN_ROLE = ModelBundle.ROLE_3D, PARTNER_ROLE = ModelBundle.ROLE_2D;

	private final Segmenter main;
	private final Segmenter partner;
	private final Measure measure;
	private final String note;

	/** A volume's scores and the per-voxel map they came from (on the volume's grid and geometry). */
	public record Scored(VolumeScore score, Volume map) {}

	/** Opens the networks the measure needs; {@code asked} falls back to {@link Measure#UNCERTAINTY} without a partner. */
	public SuggestionModel(ModelBundle bundle, Measure asked, Device device) {
		boolean has3d = bundle.models().containsKey(MAIN_ROLE);
		String mainRole = has3d ? MAIN_ROLE : bundle.defaultRole();
		boolean hasPartner = has3d && bundle.models().containsKey(PARTNER_ROLE);
		if (asked.needsPartner() && !hasPartner) {
			measure = Measure.UNCERTAINTY;
			note = "The model has no 2-D partner network (it was trained " + (bundle.info().method == null ? "without one" : "with method "
				+ bundle.info().method) + "), so volumes and slices are ranked by the " + (has3d ? "3-D" : mainRole.toUpperCase(java.util.Locale.ROOT))
				+ " model's uncertainty alone.";
		} else {
			measure = asked;
			note = null;
		}
		main = new Segmenter(bundle, mainRole, device, Segmenter.defaultWindow(bundle.info()));
		try {
			partner = measure.needsPartner() ? new Segmenter(bundle, PARTNER_ROLE, device, Segmenter.defaultWindow(bundle.info())) : null;
		} catch (RuntimeException e) {
			main.close();
			throw e;
		}
	}

	/** The measure the ranking uses (the one asked for, unless the bundle has no partner). */
	public Measure measure() {
		return measure;
	}

	/** One line on the fallback to uncertainty alone; null when the measure asked for is used. */
	public String note() {
		return note;
	}

	/** Class names of the bundle, background first. */
	public java.util.List<String> classNames() {
		return main.info().classNames;
	}

	/**
	 * Predicts a raw (un-normalised) volume with the networks and scores it.
	 *
	 * @param progress  told after each window batch, over both networks; may be null
	 * @param cancelled checked before each window batch; may be null
	 */
	public Scored score(String id, String source, Volume raw, SlidingWindow.Progress progress, BooleanSupplier cancelled) {
		SlidingWindow.Progress first = progress == null || partner == null ? progress : (done, total) -> progress.windowsDone(done, 2 * total);
		Segmentation a = main.segment(raw, true, first, cancelled);
		Segmentation b = partner == null ? null
			: partner.segment(raw, true, progress == null ? null : (done, total) -> progress.windowsDone(total + done, 2 * total), cancelled);
		float[] uncertainty = VoxelScores.uncertainty(a.probabilities());
		float[] disagreement = b == null ? null : VoxelScores.disagreement(a.probabilities(), b.probabilities());
		float[] map = switch (measure) {
			case DISAGREEMENT -> disagreement;
			case UNCERTAINTY -> uncertainty;
			case BOTH -> VoxelScores.mean(disagreement, uncertainty);
		};
		int[] shape = a.labels().shape();
		VolumeScore score = VolumeScore.of(id, source, map, disagreement, uncertainty, VolumeScore.region(a.labels(), b == null ? null : b.labels()), shape);
		return new Scored(score, Volume.wrap(map, new long[] { shape[0], shape[1], shape[2] }, a.labels().geometry()));
	}

	@Override
	public void close() {
		try {
			main.close();
		} finally {
			if (partner != null) partner.close();
		}
	}
}
