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

	/** Ranks the volumes and picks the {@code top} slices with the highest scores among all of their slices. */
	public static Ranking of(List<VolumeScore> scores, int top) {
		if (top < 1) throw new IllegalArgumentException("top must be at least 1, got " + top);
		List<VolumeScore> volumes = new ArrayList<>(scores);
		volumes.sort(Comparator.comparingDouble(VolumeScore::score).reversed().thenComparing(VolumeScore::id));
		record Candidate(VolumeScore volume, int z, double score) {}
		List<Candidate> all = new ArrayList<>();
		for (VolumeScore v : volumes)
			for (int z = 0; z < v.sliceScores().length; z++) all.add(new Candidate(v, z, v.sliceScores()[z]));
		all.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(c -> c.volume().id()).thenComparingInt(Candidate::z));
		List<SliceSuggestion> slices = new ArrayList<>();
		for (Candidate c : all.subList(0, Math.min(top, all.size()))) slices.add(new SliceSuggestion(slices.size() + 1, c.volume(), c.z() + 1, c.score()));
		return new Ranking(volumes, slices);
	}

	/** The rank (from 1) of a volume by its id; 0 when absent. */
	public int rankOf(String id) {
		for (int i = 0; i < volumes.size(); i++)
			if (volumes.get(i).id().equals(id)) return i + 1;
		return 0;
	}
}
