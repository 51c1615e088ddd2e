package org.mnseg.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

import org.mnseg.io.VolumeIO;
import org.mnseg.util.UserError;

/**
 * Splits a list of volumes into N parts of nearly equal voxel count (inference time grows with the voxels, not the
 * files), every volume in exactly one part.
 * <p>
 * Every task of a job array computes the whole plan by itself and keeps its own part, so no task has to talk to
 * another; that works because the plan depends only on the list and the sizes: volumes largest first (ties by path)
 * each go to the part with the fewest voxels so far (ties: the lowest index). This greedy rule ends within the size
 * of one volume of the ideal balance (for a cohort of similar volumes, within one volume per part).
 */
public final class ShardPlan {
	private final List<List<Path>> parts;
	private final long[] voxels;

	private ShardPlan(List<List<Path>> parts, long[] voxels) {
		this.parts = parts;
		this.voxels = voxels;
	}

	/**
	 * Sizes every file from its header ({@link VolumeIO#voxelCount}) and splits into {@code count} parts. A file whose
	 * header cannot be read counts as empty: every task still computes the same plan, and the task that gets the file
	 * records its failure instead of the whole array stopping.
	 */
	public static ShardPlan of(List<Path> files, int count) {
		return of(files, f -> {
			try {
				return VolumeIO.voxelCount(f);
			}
			catch (UserError e) {
				return 0;
			}
		}, count);
	}

	/** Splits {@code files} into {@code count} parts balanced by {@code size}. */
	public static ShardPlan of(List<Path> files, ToLongFunction<Path> size, int count) {
		if (count < 1) throw new IllegalArgumentException("count " + count);
		record Sized(Path file, String key, long voxels) {}
		List<Sized> sized = new ArrayList<>(files.size());
		for (Path f : files) sized.add(new Sized(f, f.toString(), size.applyAsLong(f)));
		sized.sort(Comparator.comparingLong(Sized::voxels).reversed().thenComparing(Sized::key));
		List<List<Path>> parts = new ArrayList<>(count);
		for (int i = 0; i < count; i++) parts.add(new ArrayList<>());
		long[] load = new long[count];
		for (Sized s : sized) {
			int lightest = 0;
			for (int i = 1; i < count; i++)
				if (load[i] < load[lightest]) lightest = i;
			parts.get(lightest).add(s.file());
			load[lightest] += s.voxels();
		}
		// within a part, the input's own order (a folder's is by name), so a log reads like the list
		java.util.Map<Path, Integer> position = new java.util.HashMap<>();
		for (int i = 0; i < files.size(); i++) position.putIfAbsent(files.get(i), i);
		for (List<Path> p : parts) p.sort(Comparator.comparingInt(position::get));
		return new ShardPlan(parts, load);
	}

	public int count() {
		return parts.size();
	}

	/** The files of part {@code shard.index()}; the plan must have {@code shard.count()} parts. */
	public List<Path> part(Shard shard) {
		if (shard.count() != parts.size()) throw new IllegalArgumentException("plan of " + parts.size() + " parts, shard " + shard);
		return List.copyOf(parts.get(shard.index()));
	}

	/** The voxels of part {@code index}. */
	public long voxels(int index) {
		return voxels[index];
	}
}
