package org.mnseg.suggest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;

/** The per-voxel measures, the volume and slice scores, and the ranking, on probabilities made by hand. */
public class SuggestScoresTest {
	private static final float EPS = 1e-6f;

	@Test
	public void disagreementIsTheTotalVariationDistance() {
		// voxels: the same; certain of different classes; two classes 0.9/0.1 against 0.6/0.4; two foreground classes swapped
		float[][] p = { { 0.2f, 1, 0.9f, 0 }, { 0.5f, 0, 0.1f, 1 }, { 0.3f, 0, 0, 0 } };
		float[][] q = { { 0.2f, 0, 0.6f, 0 }, { 0.5f, 1, 0.4f, 0 }, { 0.3f, 0, 0, 1 } };
		assertArrayEquals(new float[] { 0, 1, 0.3f, 1 }, VoxelScores.disagreement(p, q), EPS);
		assertArrayEquals(new float[] { 0, 1, 0.3f, 1 }, VoxelScores.disagreement(q, p), EPS);
	}

	@Test
	public void uncertaintyIsTheNormalisedEntropy() {
		float third = 1f / 3;
		float[][] p = { { third, 1, 0.5f }, { third, 0, 0.5f }, { third, 0, 0 } };
		float[] h = VoxelScores.uncertainty(p);
		assertEquals(1, h[0], EPS);
		assertEquals(0, h[1], EPS);
		assertEquals(Math.log(2) / Math.log(3), h[2], EPS);
	}

	/** A 2 x 2 x 3 volume's maps: X fastest, then Y, then Z (4 voxels per slice). */
	private static final int[] SHAPE = { 2, 2, 3 };

	private static LabelVolume labels(int... values) {
		byte[] b = new byte[values.length];
		for (int i = 0; i < b.length; i++) b[i] = (byte) values[i];
		return LabelVolume.wrap(b, SHAPE, Geometry.unit());
	}

	@Test
	public void aVolumeScoresOverTheForegroundOfEitherModelAndSlicesOverThemselves() {
		float[] map = { 0.8f, 0.4f, 0, 0, /**/ 0.2f, 0, 0, 0, /**/ 0, 0, 0, 0.4f };
		// foreground: voxels 0 and 1 in the first model, voxel 4 in the second
		boolean[] region = VolumeScore.region(labels(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), labels(0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0));
		VolumeScore s = VolumeScore.of("v", "v.nii.gz", map, map, map, region, SHAPE);
		assertEquals(3, s.regionVoxels());
		assertEquals((0.8 + 0.4 + 0.2) / 3, s.score(), EPS);
		assertArrayEquals(new double[] { 0.3, 0.05, 0.1 }, s.sliceScores(), EPS);
		// no foreground in either model: the whole volume
		VolumeScore empty = VolumeScore.of("e", "e", map, null, map, new boolean[12], SHAPE);
		assertTrue(empty.wholeVolume());
		assertEquals(1.8 / 12, empty.score(), EPS);
		assertTrue(Double.isNaN(empty.disagreement()));
	}

	/** Two models' probabilities over a 2 x 2 x 3 volume, two classes; they disagree on {@code disputed} voxels. */
	private static VolumeScore volume(String id, int... disputed) {
		int n = 12;
		float[][] p = new float[2][n], q = new float[2][n];
		for (int i = 0; i < n; i++) {
			// both models: foreground in the first slice, background elsewhere, confidently
			float fg = i < 4 ? 0.95f : 0.05f;
			p[1][i] = fg;
			q[1][i] = fg;
		}
		for (int i : disputed) q[1][i] = 1 - p[1][i];
		for (int i = 0; i < n; i++) {
			p[0][i] = 1 - p[1][i];
			q[0][i] = 1 - q[1][i];
		}
		float[] d = VoxelScores.disagreement(p, q);
		boolean[] region = new boolean[n];
		for (int i = 0; i < n; i++) region[i] = p[1][i] > 0.5f || q[1][i] > 0.5f;
		return VolumeScore.of(id, id, d, d, VoxelScores.uncertainty(p), region, SHAPE);
	}

	@Test
	public void theVolumeTheModelsDisagreeOnMoreRanksFirstWithItsDisputedSlices() {
		VolumeScore calm = volume("a-calm", 0);
		VolumeScore disputed = volume("b-disputed", 1, 2, 9, 10, 11);
		VolumeScore agreed = volume("c-agreed");
		Ranking r = Ranking.of(List.of(calm, disputed, agreed), 3, 1);
		assertEquals(List.of("b-disputed", "a-calm", "c-agreed"), r.volumes().stream().map(VolumeScore::id).toList());
		assertEquals(0, agreed.score(), EPS);
		assertTrue(disputed.score() > calm.score());
		// b's third slice (3 of 4 voxels disputed), then b's first (2 of 4), then a's first (1 of 4)
		assertEquals(List.of("b-disputed 3", "b-disputed 1", "a-calm 1"), r.slices().stream().map(s -> s.volume().id() + " " + s.slice()).toList());
		assertEquals(0.9 * 3 / 4, r.slices().get(0).score(), 1e-5);
		assertEquals(1, r.slices().get(0).rank());
		assertEquals(1, r.rankOf("b-disputed"));
		// more slices asked for than there are: all of them, ties in name and slice order
		Ranking all = Ranking.of(List.of(agreed, calm), 100, 1);
		assertEquals(6, all.slices().size());
		assertEquals("a-calm 1", all.slices().get(0).volume().id() + " " + all.slices().get(0).slice());
		assertEquals("a-calm 2", all.slices().get(1).volume().id() + " " + all.slices().get(1).slice());
	}

	@Test
	public void suggestedSlicesOfOneVolumeKeepTheirSpacing() {
		VolumeScore disputed = volume("b-disputed", 1, 2, 9, 10, 11);
		VolumeScore calm = volume("a-calm", 0);
		// b's slice 3 scores most, then its slice 1, then a's slice 1; the rest score 0. Spacing 2: slices 1 and 3 are 2 apart
		assertEquals(List.of("b-disputed 3", "b-disputed 1", "a-calm 1"), slices(Ranking.of(List.of(disputed, calm), 3, 2)));
		// spacing 3: b's slice 1 is too near its slice 3, and every other slice too near one picked: fewer than asked for
		assertEquals(List.of("b-disputed 3", "a-calm 1"), slices(Ranking.of(List.of(disputed, calm), 3, 3)));
		assertEquals(List.of("b-disputed 3"), slices(Ranking.of(List.of(disputed), 10, 3)));
	}

	private static List<String> slices(Ranking r) {
		return r.slices().stream().map(s -> s.volume().id() + " " + s.slice()).toList();
	}
}
