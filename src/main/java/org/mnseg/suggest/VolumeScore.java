package org.mnseg.suggest;

import org.mnseg.data.LabelVolume;

/**
 * What one volume gave: its score under the chosen measure, the other measures over the same voxels, and a score per
 * z slice.
 * <p>
 * The volume's score is the mean of the per-voxel map over the voxels where either model predicts foreground (its
 * "region"), the whole volume when neither does. Why not the whole volume: most of a volume is background both models
 * agree on, so a whole-volume mean would mostly rank volumes by how much background surrounds the structure and how
 * large it is. Voxels whose foreground probability stays under one half in both models fall outside the region.
 * <p>
 * A slice's score is the mean of the map over the whole slice: the share of the slice in question. Why not the region
 * of the slice: a slice that the structure touches with a handful of voxels would then outrank a slice across its
 * middle where many more voxels are disputed.
 *
 * @param id          the volume's name (file base name, case id or image title)
 * @param source      where it came from (a file path or an image title), for the reader of the results
 * @param score       the chosen measure's mean over the region
 * @param disagreement the disagreement's mean over the region; NaN without a 2-D partner
 * @param uncertainty the 3-D model's uncertainty's mean over the region
 * @param regionVoxels voxels where either model predicts foreground (0: the scores are whole-volume means)
 * @param voxels      voxels of the volume
 * @param sliceScores the chosen measure's mean per z slice, from z = 0
 */
public record VolumeScore(String id, String source, double score, double disagreement, double uncertainty, long regionVoxels, long voxels,
	double[] sliceScores) {

	/**
	 * Scores a volume from its per-voxel maps.
	 *
	 * @param map          the chosen measure per voxel
	 * @param disagreement per voxel, or null without a partner
	 * @param uncertainty  per voxel
	 * @param region       where either model predicts foreground
	 * @param shape        {x, y, z}
	 */
	public static VolumeScore of(String id, String source, float[] map, float[] disagreement, float[] uncertainty, boolean[] region, int[] shape) {
		long count = 0;
		for (boolean r : region)
			if (r) count++;
		return new VolumeScore(id, source, mean(map, region, count), disagreement == null ? Double.NaN : mean(disagreement, region, count),
			mean(uncertainty, region, count), count, map.length, sliceMeans(map, shape));
	}

	/** The voxels whose label is foreground in {@code a} or in {@code b} (b may be null). */
	public static boolean[] region(LabelVolume a, LabelVolume b) {
		byte[] la = a.data(), lb = b == null ? null : b.data();
		boolean[] r = new boolean[la.length];
		for (int i = 0; i < r.length; i++) r[i] = la[i] != 0 || (lb != null && lb[i] != 0);
		return r;
	}

	/** The mean over the region's voxels, or over all voxels when the region is empty. */
	static double mean(float[] map, boolean[] region, long regionVoxels) {
		double sum = 0;
		for (int i = 0; i < map.length; i++)
			if (regionVoxels == 0 || region[i]) sum += map[i];
		long n = regionVoxels == 0 ? map.length : regionVoxels;
		return n == 0 ? 0 : sum / n;
	}

	/** The mean of each z slice (X fastest, then Y, then Z). */
	static double[] sliceMeans(float[] map, int[] shape) {
		int plane = shape[0] * shape[1];
		if ((long) plane * shape[2] != map.length) throw new IllegalArgumentException("map of " + map.length + " voxels for shape " + java.util.Arrays.toString(shape));
		double[] s = new double[shape[2]];
		for (int z = 0; z < shape[2]; z++) {
			double sum = 0;
			for (int i = z * plane; i < (z + 1) * plane; i++) sum += map[i];
			s[z] = plane == 0 ? 0 : sum / plane;
		}
		return s;
	}

	/** Where the volume's region is empty, its scores are over the whole volume. */
	public boolean wholeVolume() {
		return regionVoxels == 0;
	}
}
