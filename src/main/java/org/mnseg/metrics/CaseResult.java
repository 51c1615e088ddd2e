package org.mnseg.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonObject;

/** The metrics of one case: one {@link ClassMetrics} per foreground class, by class index (1, 2, ...). */
public final class CaseResult {
	private final String caseId;
	private final Map<Integer, ClassMetrics> classes;

	public CaseResult(String caseId, Map<Integer, ClassMetrics> classes) {
		if (caseId == null) throw new IllegalArgumentException("case id is null");
		this.caseId = caseId;
		this.classes = Collections.unmodifiableMap(new TreeMap<>(classes));
	}

	public String caseId() {
		return caseId;
	}

	/** Foreground class index to metrics, in ascending class order (unmodifiable). */
	public Map<Integer, ClassMetrics> classes() {
		return classes;
	}

	/** The metrics of one class; IllegalArgumentException when the case has no such class. */
	public ClassMetrics forClass(int classIndex) {
		ClassMetrics m = classes.get(classIndex);
		if (m == null) throw new IllegalArgumentException("case " + caseId + " has no foreground class " + classIndex);
		return m;
	}

	/** {@code {"1": {...}, "2": {...}}}, each entry as {@link ClassMetrics#toJson()}. */
	public JsonObject toJson() {
		JsonObject o = new JsonObject();
		classes.forEach((c, m) -> o.add(Integer.toString(c), m.toJson()));
		return o;
	}
}
