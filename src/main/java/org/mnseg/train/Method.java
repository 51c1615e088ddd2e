package org.mnseg.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.mnseg.util.UserError;

/** What a run trains: M&N, its control and ablation, and the single-model baselines. */
public enum Method {
	/** M&N: a labeled warm-up of both models, then co-training on labeled and pseudo-labeled unlabeled patches. */
	MN("mn", true, true, true),
	/**
	 * M&N's control: the same stages, schedules, restart, epochs and seed, but no unlabeled patch ever enters a batch.
	 * M&N minus this is the gain of co-training itself, apart from the schedule.
	 */
	MN_CONTROL("mn-control", true, true, false),
	/** The 3-D model on the labeled volumes (the paper's baseline). */
	LABELED_ONLY("labeled-only", true, false, false),
	/** The 2-D model on the slices of labeled patches. */
	TWO_D_ONLY("2d-only", false, true, false),
	/** The warm-up, then the 3-D model on masks the 2-D model made once for the unlabeled volumes (ablation). */
	FIXED_PSEUDO("fixed-pseudo", true, true, true),
	/**
	 * A diagnostic, not a method to use: fixed-pseudo's schedule with the unlabeled volumes' TRUE labels in place of
	 * pseudo-labels (no 2-D model). It needs a label for every "unlabeled" volume, so it runs only on benchmark data;
	 * its score is about the most any 2-D partner's pseudo-labels could give the 3-D model under these stages and this
	 * unlabeled share (soft pseudo-labels could in principle regularise a little beyond it).
	 */
	ORACLE("oracle", true, false, true, true);

	private final String id;
	private final boolean uses3d, uses2d, usesUnlabeled, diagnostic;

	Method(String id, boolean uses3d, boolean uses2d, boolean usesUnlabeled) {
		this(id, uses3d, uses2d, usesUnlabeled, false);
	}

	Method(String id, boolean uses3d, boolean uses2d, boolean usesUnlabeled, boolean diagnostic) {
		this.id = id;
		this.uses3d = uses3d;
		this.uses2d = uses2d;
		this.usesUnlabeled = usesUnlabeled;
		this.diagnostic = diagnostic;
	}

	/** The name on the command line, in dialogs and in stored runs. */
	public String id() {
		return id;
	}

	public boolean uses3d() {
		return uses3d;
	}

	public boolean uses2d() {
		return uses2d;
	}

	/** Whether the method reads the unlabeled volumes. */
	public boolean usesUnlabeled() {
		return usesUnlabeled;
	}

	/** Whether the unlabeled volumes are read with their label files (the oracle trains on them). */
	public boolean readsUnlabeledLabels() {
		return this == ORACLE;
	}

	/** A labeled warm-up (stage 1) followed by a second stage with its own learning-rate restart. */
	public boolean hasWarmUp() {
		return this == MN || this == MN_CONTROL || this == FIXED_PSEUDO || this == ORACLE;
	}

	/** The methods a user chooses from (menus, dialogs, usage), the default (mn) first; diagnostics are left out. */
	public static List<String> ids() {
		return Arrays.stream(values()).filter(m -> !m.diagnostic).map(Method::id).toList();
	}

	/** The benchmark diagnostics, which the command line takes but no dialog offers. */
	public static List<String> diagnosticIds() {
		return Arrays.stream(values()).filter(m -> m.diagnostic).map(Method::id).toList();
	}

	public static Method parse(String name) {
		String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
		for (Method m : values())
			if (m.id.equals(n)) return m;
		throw new UserError("Unknown method '" + name + "'. Choose one of: " + String.join(", ", ids()) + ".");
	}

	@Override
	public String toString() {
		return id;
	}
}
