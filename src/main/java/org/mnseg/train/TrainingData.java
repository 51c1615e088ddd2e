package org.mnseg.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.mnseg.dataset.Case;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.data.NonFiniteVoxels;
import org.mnseg.data.Normalization;
import org.mnseg.data.Sample;
import org.mnseg.util.UserError;

/**
 * The volumes a run trains on, read once, validated and normalised, kept in memory (patches are cut from them at
 * every step): the labeled subset and, for semi-supervised methods, the unlabeled rest of the training split.
 */
public final class TrainingData {
	private final DatasetSpec spec;
	private final List<Sample> labeled;
	private final List<Sample> unlabeled;
	private final List<Sample> validation;
	private final int numClasses;

	private TrainingData(DatasetSpec spec, List<Sample> labeled, List<Sample> unlabeled, List<Sample> validation) {
		this.spec = spec;
		this.labeled = labeled;
		this.unlabeled = unlabeled;
		this.validation = validation;
		this.numClasses = spec.numClasses();
	}

	/**
	 * Loads what {@code plan} trains on: the labeled subset, the held-out validation volumes, and for methods that use
	 * them the unlabeled volumes (the rest of the training split plus any unlabeled folder).
	 */
	public static TrainingData load(DatasetSpec spec, TrainingPlan plan, RunListener listener) {
		TrainingSettings s = plan.settings();
		Unlabeled unlabeled = !plan.method().usesUnlabeled() ? Unlabeled.NONE
			: plan.method().readsUnlabeledLabels() ? Unlabeled.WITH_LABELS : Unlabeled.IMAGES;
		return load(spec, plan.labeled(), unlabeled, s.validation, Normalization.parse(s.normalization), NonFiniteVoxels.parseReplacement(s.replaceNan),
			listener);
	}

	/** Whether the unlabeled volumes are read, and with their labels (the oracle diagnostic) or without. */
	enum Unlabeled {
		NONE, IMAGES, WITH_LABELS
	}

	/**
	 * Loads the labeled subset of size {@code n} (every training case for n < 0), holding out the last
	 * {@code validation} labeled volumes of the training split outside the labeled subset for validation, and, when
	 * asked, the unlabeled volumes (as images, or with their labels for the oracle).
	 */
	static TrainingData load(DatasetSpec spec, int n, Unlabeled unlabeledVolumes, int validation, Normalization normalization,
		Float replaceNonFinite, RunListener listener) {
		boolean withUnlabeled = unlabeledVolumes != Unlabeled.NONE;
		// n < 0: every labeled training case (data sets written from Fiji, "all" of a folder); the rest are unlabeled
		List<Case> cases = n < 0 ? spec.train().stream().filter(Case::hasLabel).toList() : spec.labeled(n);
		for (Case c : cases)
			if (c.label() == null) throw new UserError("Case '" + c.id() + "' of " + spec.name() + " is listed as labeled but has no label file.");
		if (cases.isEmpty()) throw new UserError("The data set " + spec.name() + " has no labeled training volume.");
		List<Case> heldOut = List.of();
		if (validation > 0) {
			java.util.Set<String> labeledIds = new java.util.HashSet<>();
			for (Case c : cases) labeledIds.add(c.id());
			List<Case> candidates = spec.train().stream().filter(c -> c.label() != null && !labeledIds.contains(c.id())).toList();
			if (candidates.size() < validation)
				throw new UserError("--validation " + validation + " asks for more held-out labeled volumes than " + spec.name() + " has outside the "
					+ "labeled subset (" + candidates.size() + ").");
			heldOut = candidates.subList(candidates.size() - validation, candidates.size());
		}
		java.util.Set<String> heldIds = new java.util.HashSet<>();
		for (Case c : heldOut) heldIds.add(c.id());
		List<Case> rest = withUnlabeled ? spec.unlabeled(n).stream().filter(c -> !heldIds.contains(c.id())).toList() : List.of();
		if (unlabeledVolumes == Unlabeled.WITH_LABELS) rest = withTrueLabels(spec, rest);

		// one phase with a progress bar: a line per volume would bury the log (hippocampus: 156 volumes)
		Reading reading = new Reading(listener, cases.size() + heldOut.size() + rest.size());
		List<Sample> labeled = new ArrayList<>();
		for (Case c : cases) labeled.add(reading.next(spec.load(c, normalization, replaceNonFinite)));
		List<Sample> held = new ArrayList<>();
		for (Case c : heldOut) held.add(reading.next(spec.load(c, normalization, replaceNonFinite)));
		List<Sample> unlabeled = new ArrayList<>();
		if (withUnlabeled) {
			// the cases carry a label only where withTrueLabels put it back (the oracle)
			for (Case c : rest) unlabeled.add(reading.next(spec.load(c, normalization, replaceNonFinite)));
			if (unlabeled.isEmpty())
				throw new UserError("Semi-supervised training needs unlabeled volumes, but " + spec.name() + " has none besides the " + labeled.size()
					+ " labeled ones. Use a smaller labeled subset, add an unlabeled/ folder, or train with --method labeled-only.");
		}
		requireSameChannels(labeled, held, unlabeled);
		return new TrainingData(spec, labeled, unlabeled, held);
	}

	/** The unlabeled cases with the label files the training split has for them; any without one is refused. */
	private static List<Case> withTrueLabels(DatasetSpec spec, List<Case> unlabeled) {
		Map<String, Case> train = new HashMap<>();
		for (Case c : spec.train()) train.put(c.id(), c);
		List<Case> out = new ArrayList<>();
		for (Case c : unlabeled) {
			Case labeled = train.get(c.id());
			if (labeled == null || !labeled.hasLabel())
				throw new UserError("Method oracle trains on the true labels of the unlabeled volumes, but '" + c.id() + "' of " + spec.name()
					+ " has no label file. It is a diagnostic for data sets labeled throughout; use --method mn for real unlabeled data.");
			out.add(labeled);
		}
		return out;
	}

	/** Counts the volumes read, as the phase "Reading volumes". */
	private static final class Reading {
		static final String PHASE = "Reading volumes";
		private final RunListener listener;
		private final int total;
		private int done;

		Reading(RunListener listener, int total) {
			this.listener = listener;
			this.total = total;
			listener.phase(PHASE, 0, total);
		}

		Sample next(Sample s) {
			listener.phase(PHASE, ++done, total);
			return s;
		}
	}

	/** One channel count for every volume: a network has one input width, and a mismatch would fail mid-run. */
	@SafeVarargs
	private static void requireSameChannels(List<Sample>... groups) {
		Sample first = groups[0].get(0);
		for (List<Sample> g : groups)
			for (Sample s : g)
				if (s.image().channels() != first.image().channels())
					throw new UserError("Volume '" + s.id() + "' has " + s.image().channels() + " channel(s), but '" + first.id() + "' has "
						+ first.image().channels() + ": every volume of a data set (labeled or not) needs the same channels.");
	}

	public DatasetSpec spec() {
		return spec;
	}

	public List<Sample> labeled() {
		return labeled;
	}

	public List<Sample> unlabeled() {
		return unlabeled;
	}

	/** Held-out labeled volumes for validation (empty unless asked for). */
	public List<Sample> validation() {
		return validation;
	}

	public int numClasses() {
		return numClasses;
	}

	public int inChannels() {
		return labeled.get(0).image().channels();
	}

	public double[] spacing() {
		return labeled.get(0).image().geometry().spacing();
	}

	/** Median {x, y, z} of the labeled volumes. */
	public int[] medianShape() {
		return TrainingPlan.medianShape(labeled.stream().map(s -> s.image().shape()).toList());
	}

	public List<String> labeledIds() {
		return labeled.stream().map(Sample::id).toList();
	}

	@Override
	public String toString() {
		return labeled.size() + " labeled" + (unlabeled.isEmpty() ? "" : " + " + unlabeled.size() + " unlabeled") + " volumes, median shape "
			+ Arrays.toString(medianShape());
	}
}
