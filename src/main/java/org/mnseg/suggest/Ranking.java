package org.mnseg.suggest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Volumes in order of their score, highest first, and the top slices over all volumes: what to annotate next. Ties
 * are broken by the volume's name (then the slice), so that the same scores always give the same order.
 *
 * @param volumes ranked, best first
 * @param slices  the top slices, best first
 */
public record Ranking(List<VolumeScore> volumes, List<SliceSuggestion> slices) {
	/** One suggested slice. {@code slice} counts from 1, as Fiji and ITK-SNAP number slices ({@code z = slice - 1}). */
	public record SliceSuggestion(int rank, VolumeScore volume, int slice, double score) {}

	public Ranking {
		volumes = List.copyOf(volumes);
		slices = List.copyOf(slices);
	}

	/**
	 * The default {@code spacing} of {@link #of}: neighbouring slices look almost alike, so annotating both teaches
	 * little more than one; 3 leaves at least two slices between two suggestions in one volume. A choice, not a measured
	 * optimum.
	 */
	public static final int DEFAULT_SPACING = 3;

	/**
	 * Ranks the volumes and picks the {@code top} slices with the highest scores among all of their slices, each at
	 * least {@code spacing} slices from the others picked in its volume (1: any slices, neighbours too).
	 */
	public static Ranking of(List<VolumeScore> scores, int top, int spacing) {
		if (top < 1) throw new IllegalArgumentException("top must be at least 1, got " + top);
		if (spacing < 1) throw new IllegalArgumentException("spacing must be at least 1, got " + spacing);
		List<VolumeScore> volumes = new ArrayList<>(scores);
		volumes.sort(Comparator.comparingDouble(VolumeScore::score).reversed().thenComparing(VolumeScore::id));
		record Candidate(VolumeScore volume, int z, double score) {}
		List<Candidate> all = new ArrayList<>();
		for (VolumeScore v : volumes)
			for (int z = 0; z < v.sliceScores().length; z++) all.add(new Candidate(v, z, v.sliceScores()[z]));
		all.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(c -> c.volume().id()).thenComparingInt(Candidate::z));
		List<SliceSuggestion> slices = new ArrayList<>();
		List<Candidate> picked = new ArrayList<>();
		for (Candidate c : all) {
			if (slices.size() == top) break;
			if (picked.stream().anyMatch(p -> p.volume() == c.volume() && Math.abs(p.z() - c.z()) < spacing)) continue;
			picked.add(c);
			slices.add(new SliceSuggestion(slices.size() + 1, c.volume(), c.z() + 1, c.score()));
		}
		return new Ranking(volumes, slices);
	}

	/** The rank (from 1) of a volume by its id; 0 when absent. */
	public int rankOf(String id) {
		for (int i = 0; i < volumes.size(); i++)
			if (volumes.get(i).id().equals(id)) return i + 1;
		return 0;
	}
}
