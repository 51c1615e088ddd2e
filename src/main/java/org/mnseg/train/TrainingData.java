package org.mnseg.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mnseg.data.Case;
import org.mnseg.data.DatasetSpec;
import org.mnseg.data.Normalization;
import org.mnseg.data.Sample;
import org.mnseg.util.UserError;

/**
 * The volumes a run trains on, read once, validated and normalised, kept in memory (patches are cut from them at
 * every step).
 */
public final class TrainingData {
	private final DatasetSpec spec;
	private final List<Sample> labeled;
	private final int numClasses;

	private TrainingData(DatasetSpec spec, List<Sample> labeled) {
		this.spec = spec;
		this.labeled = labeled;
		this.numClasses = spec.numClasses();
	}

	/** Loads the labeled subset of size {@code n} (or every training case for n < 0). */
	public static TrainingData load(DatasetSpec spec, int n, Normalization normalization, TrainingListener listener) {
		List<Case> cases = n < 0 ? spec.train() : spec.labeled(n);
		List<Sample> samples = new ArrayList<>();
		for (Case c : cases) {
			if (c.label() == null) throw new UserError("Case '" + c.id() + "' of " + spec.name() + " is listed as labeled but has no label file.");
			listener.message("Reading " + c.id() + " (" + (samples.size() + 1) + "/" + cases.size() + ")");
			samples.add(spec.load(c, normalization));
		}
		if (samples.isEmpty()) throw new UserError("The data set " + spec.name() + " has no labeled training volume.");
		return new TrainingData(spec, samples);
	}

	public DatasetSpec spec() {
		return spec;
	}

	public List<Sample> labeled() {
		return labeled;
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

	/** Median {x, y, z} of the labeled volumes (sizes the cpu preset's patch). */
	public int[] medianShape() {
		return medianShape(labeled.stream().map(s -> s.image().shape()).toList());
	}

	static int[] medianShape(List<int[]> shapes) {
		int[] m = new int[3];
		for (int a = 0; a < 3; a++) {
			final int axis = a;
			int[] v = shapes.stream().mapToInt(s -> s[axis]).sorted().toArray();
			m[a] = v[v.length / 2];
		}
		return m;
	}

	public List<String> labeledIds() {
		return labeled.stream().map(Sample::id).toList();
	}

	@Override
	public String toString() {
		return labeled.size() + " labeled volumes, median shape " + Arrays.toString(medianShape());
	}
}
