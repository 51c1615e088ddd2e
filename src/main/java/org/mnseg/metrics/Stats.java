package org.mnseg.metrics;

import java.util.Arrays;

/** Small statistics over distance samples. */
final class Stats {
	private Stats() {}

	/**
	 * Percentile with linear interpolation between the two nearest ranks, numpy's default: the value at
	 * fractional rank {@code q/100 * (n-1)} of the sorted samples.
	 */
	static double percentile(double[] values, double q) {
		if (values.length == 0) throw new IllegalArgumentException("percentile of no values");
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		double rank = q / 100 * (sorted.length - 1);
		int below = (int) Math.floor(rank);
		int above = Math.min(below + 1, sorted.length - 1);
		double weight = rank - below;
		return sorted[below] + weight * (sorted[above] - sorted[below]);
	}

	static double mean(double[] values) {
		if (values.length == 0) throw new IllegalArgumentException("mean of no values");
		double sum = 0;
		for (double v : values) sum += v;
		return sum / values.length;
	}

	static double[] concat(double[] a, double[] b) {
		double[] all = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}
}
