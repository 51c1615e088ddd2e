package org.mnseg.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;

public class SegmentationMetricsTest {
	private static final double[] UNIT = { 1, 1, 1 };

	/** A box mask [x0, x0+sx) x [y0, y0+sy) x [z0, z0+sz). */
	private static boolean[] box(int[] shape, int x0, int y0, int z0, int sx, int sy, int sz) {
		boolean[] m = new boolean[shape[0] * shape[1] * shape[2]];
		for (int z = z0; z < z0 + sz; z++)
			for (int y = y0; y < y0 + sy; y++)
				for (int x = x0; x < x0 + sx; x++) m[x + shape[0] * (y + shape[1] * z)] = true;
		return m;
	}

	/**
	 * Closed form of the distances from the surface of cube B = A shifted by k voxels along z to the surface of
	 * cube A (side a), for voxel spacing 1 in x and y and s along z. Write A = [0, a-1]^3 and B = A + (0, 0, k).
	 * Surfaces are the voxels on the 6 faces of each cube. Walk through B's layers z = k .. k+a-1:
	 * <ul>
	 * <li>a layer with z <= a-1 lies inside A's z range. Its ring voxels (x or y in {0, a-1}) lie on A's side faces:
	 * distance 0, 4(a-1) of them. Only the bottom face z = k also has interior voxels (x, y in 1..a-2). Such a
	 * voxel lies inside A; the nearest A-surface voxel is the foot of the perpendicular on the nearest face of A,
	 * at distance min(s*k, s*(a-1-k), m) with m = min(x, a-1-x, y, a-1-y) (faces span their whole square, so the
	 * foot exists). The interior voxels with a given m form the ring of the square of side a-2m: (a-2m)^2 -
	 * (a-2m-2)^2 voxels ((a-2m)^2 when that is the 1x1 centre).</li>
	 * <li>a layer with z >= a lies above A: every A voxel has z' <= a-1 and A's top face contains (x, y, a-1), so the
	 * distance is s*(z-(a-1)), for the a^2 voxels of a face (z = k or k+a-1) or the 4(a-1) ring voxels of a
	 * middle layer.</li>
	 * </ul>
	 * Counts add up to a^3 - (a-2)^3 in every case. Mirroring z -> a-1+k-z swaps A and B, so the distances from A to
	 * B form the same multiset.
	 */
	private static List<Double> shiftedCubeDistances(int a, int k, double s) {
		List<Double> d = new ArrayList<>();
		for (int z = k; z <= k + a - 1; z++) {
			boolean face = z == k || z == k + a - 1;
			int ring = 4 * (a - 1);
			if (z >= a) {
				add(d, face ? a * a : ring, s * (z - (a - 1)));
				continue;
			}
			add(d, ring, 0);
			if (!face) continue;
			for (int m = 1; a - 2 * m >= 1; m++) {
				int side = a - 2 * m;
				int count = side * side - (side >= 2 ? (side - 2) * (side - 2) : 0);
				add(d, count, Math.min(m, Math.min(s * k, s * (a - 1 - k))));
			}
		}
		assertEquals("closed form must count every surface voxel", a * a * a - (a - 2) * (a - 2) * (a - 2), d.size());
		return d;
	}

	private static void add(List<Double> list, int count, double value) {
		for (int i = 0; i < count; i++) list.add(value);
	}

	/** numpy.percentile(values, q) with its default linear interpolation, written out for the test. */
	private static double numpyPercentile(List<Double> values, double q) {
		double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		double h = (v.length - 1) * q / 100;
		int lo = (int) h;
		return lo + 1 < v.length ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[lo];
	}

	private static double mean(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).average().getAsDouble();
	}

	private static void checkShiftedCube(int a, int k, double s) {
		int[] shape = { a + 4, a + 3, a + k + 5 };
		boolean[] truth = box(shape, 2, 1, 2, a, a, a);
		boolean[] prediction = box(shape, 2, 1, 2 + k, a, a, a);
		ClassMetrics m = SegmentationMetrics.compute(prediction, truth, shape, new double[] { 1, 1, s });
		String what = "a=" + a + " k=" + k + " s=" + s;
		int overlap = Math.max(0, a - k);
		assertEquals(what, (double) overlap / a, m.dice(), 1e-12); // 2 a^2 (a-k) / 2 a^3
		assertEquals(what, (double) overlap / (2 * a - overlap), m.jaccard(), 1e-12); // a^2 (a-k) / a^2 (a+k)
		List<Double> vox = shiftedCubeDistances(a, k, 1), mm = shiftedCubeDistances(a, k, s);
		List<Double> pooledVox = new ArrayList<>(vox), pooledMm = new ArrayList<>(mm);
		pooledVox.addAll(vox);
		pooledMm.addAll(mm);
		assertEquals(what, numpyPercentile(pooledVox, 95), m.hd95Voxels(), 1e-12);
		assertEquals(what, mean(vox), m.asdVoxels(), 1e-12);
		assertEquals(what, mean(pooledVox), m.assdVoxels(), 1e-12);
		assertEquals(what, numpyPercentile(pooledMm, 95), m.hd95Mm(), 1e-12);
		assertEquals(what, mean(mm), m.asdMm(), 1e-12);
		assertEquals(what, mean(pooledMm), m.assdMm(), 1e-12);
		assertEquals(EmptySide.NONE, m.empty());
	}

	@Test
	public void shiftedCubeMatchesClosedFormByHand() {
		// a = 6, k = 2: 80 distances 0 (ring voxels of the 4 overlapping layers), 12 + 4 interior voxels of the
		// bottom face at min(2, 3, m) = 1 and 2, 20 ring voxels one layer above A at 1, 36 top-face voxels at 2:
		// {0 x80, 1 x32, 2 x40}. ASD = 112/152; pooled, rank 0.95*303 = 287.85 falls in the 2s (from index 224).
		int[] shape = { 10, 9, 13 };
		ClassMetrics m = SegmentationMetrics.compute(box(shape, 2, 1, 4, 6, 6, 6), box(shape, 2, 1, 2, 6, 6, 6), shape, UNIT);
		assertEquals(4.0 / 6, m.dice(), 1e-15);
		assertEquals(0.5, m.jaccard(), 1e-15);
		assertEquals(112.0 / 152, m.asdVoxels(), 1e-12);
		assertEquals(112.0 / 152, m.assdVoxels(), 1e-12);
		assertEquals(2.0, m.hd95Voxels(), 1e-12);
	}

	@Test
	public void shiftedCubesOverlappingAndDisjointMatchClosedForm() {
		int[][] cases = { { 5, 1 }, { 6, 2 }, { 7, 3 }, { 8, 5 }, { 4, 3 }, { 4, 4 }, { 4, 6 }, { 3, 1 } };
		for (int[] c : cases) {
			checkShiftedCube(c[0], c[1], 1);
			checkShiftedCube(c[0], c[1], 2.5);
		}
	}

	@Test
	public void shiftAlongZWithSpacingTwoAndAHalfScalesDisjointDistancesExactly() {
		// with no overlap every nearest surface voxel lies straight along z (see the closed form), so mm = 2.5 * vox
		int[] shape = { 9, 9, 20 };
		ClassMetrics m = SegmentationMetrics.compute(box(shape, 2, 2, 10, 5, 5, 5), box(shape, 2, 2, 2, 5, 5, 5), shape,
			new double[] { 1, 1, 2.5 });
		assertEquals(2.5 * m.hd95Voxels(), m.hd95Mm(), 1e-12);
		assertEquals(2.5 * m.asdVoxels(), m.asdMm(), 1e-12);
		assertEquals(2.5 * m.assdVoxels(), m.assdMm(), 1e-12);
		// and isotropic 2.5 mm scales any configuration
		ClassMetrics iso = SegmentationMetrics.compute(box(shape, 2, 2, 4, 5, 5, 5), box(shape, 2, 2, 2, 5, 5, 5), shape,
			new double[] { 2.5, 2.5, 2.5 });
		assertEquals(2.5 * iso.hd95Voxels(), iso.hd95Mm(), 1e-12);
		assertEquals(2.5 * iso.asdVoxels(), iso.asdMm(), 1e-12);
		assertEquals(2.5 * iso.assdVoxels(), iso.assdMm(), 1e-12);
	}

	private static boolean[] ball(int[] shape, double cx, double cy, double cz, double r) {
		boolean[] m = new boolean[shape[0] * shape[1] * shape[2]];
		int i = 0;
		for (int z = 0; z < shape[2]; z++)
			for (int y = 0; y < shape[1]; y++)
				for (int x = 0; x < shape[0]; x++, i++)
					m[i] = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= r * r;
		return m;
	}

	/** Nearest-neighbour distances between two surface voxel lists, by checking every pair (small surfaces only). */
	private static double[] nearest(boolean[] from, boolean[] to, int[] shape) {
		List<int[]> target = new ArrayList<>();
		for (int i = 0; i < to.length; i++)
			if (to[i]) target.add(new int[] { i % shape[0], (i / shape[0]) % shape[1], i / (shape[0] * shape[1]) });
		List<Double> out = new ArrayList<>();
		for (int i = 0; i < from.length; i++) {
			if (!from[i]) continue;
			int x = i % shape[0], y = (i / shape[0]) % shape[1], z = i / (shape[0] * shape[1]);
			double best = Double.POSITIVE_INFINITY;
			for (int[] t : target) best = Math.min(best, (double) (t[0] - x) * (t[0] - x) + (t[1] - y) * (t[1] - y) + (t[2] - z) * (t[2] - z));
			out.add(Math.sqrt(best));
		}
		return out.stream().mapToDouble(Double::doubleValue).toArray();
	}

	@Test
	public void concentricSpheresAreAboutTheRadiusDifferenceApart() {
		int[] shape = { 29, 27, 28 };
		double c = 13.3; // off-grid centre, so the surfaces are not axis-symmetric
		for (double[] radii : new double[][] { { 5, 9 }, { 7.5, 11 } }) {
			double r1 = radii[0], r2 = radii[1], gap = r2 - r1;
			boolean[] inner = ball(shape, c, c - 0.2, c + 0.4, r1), outer = ball(shape, c, c - 0.2, c + 0.4, r2);
			ClassMetrics m = SegmentationMetrics.compute(inner, outer, shape, UNIT);
			// Every surface voxel p of a digital ball of radius r has a 6-neighbour outside (|n| > r, |n| <= |p|+1), so
			// r-1 < |p| <= r: each shell is one voxel thick. Hence any inner-to-outer surface distance is at least
			// |q| - |p| > gap - 1 (checked below for every voxel). Both shells' mean radii are about r - 1/2, so the
			// means are close to the gap, but not exact: digitisation and the nearest outer voxel lying off the ray
			// move them; scipy gives the same values, deviations of at most 0.3 (means) and 0.25 (HD95) for these
			// radii. Tolerances 0.5 and 1 (one shell thickness) leave margin; exactness is checked by the
			// all-pairs comparison below.
			assertEquals("asd " + Arrays.toString(radii), gap, m.asdVoxels(), 0.5);
			assertEquals("assd " + Arrays.toString(radii), gap, m.assdVoxels(), 0.5);
			assertEquals("hd95 " + Arrays.toString(radii), gap, m.hd95Voxels(), 1.0);
			assertTrue(m.hd95Voxels() > gap - 1);
			// Dice of nested balls = 2 |inner| / (|inner| + |outer|), about 2 r1^3 / (r1^3 + r2^3)
			double expectedDice = 2 * Math.pow(r1, 3) / (Math.pow(r1, 3) + Math.pow(r2, 3));
			assertEquals(expectedDice, m.dice(), 0.05);

			// the surface distances themselves against an all-pairs search
			boolean[] si = Surface.of(inner, shape), so = Surface.of(outer, shape);
			SurfaceDistances sd = SurfaceDistances.between(si, so, shape, UNIT);
			double[] expectedIn = nearest(si, so, shape), expectedOut = nearest(so, si, shape);
			assertEquals(expectedIn.length, sd.predictionToTruth().length);
			for (int i = 0; i < expectedIn.length; i++) {
				assertEquals(expectedIn[i], sd.predictionToTruth()[i], 1e-9);
				assertTrue(sd.predictionToTruth()[i] > gap - 1);
			}
			for (int i = 0; i < expectedOut.length; i++) assertEquals(expectedOut[i], sd.truthToPrediction()[i], 1e-9);
		}
	}

	@Test
	public void bothEmptyIsPerfect() {
		int[] shape = { 4, 5, 6 };
		ClassMetrics m = SegmentationMetrics.compute(new boolean[120], new boolean[120], shape, new double[] { 1, 2, 3 });
		assertEquals(EmptySide.BOTH, m.empty());
		assertEquals(1, m.dice(), 0);
		assertEquals(1, m.jaccard(), 0);
		for (int i = 2; i < 8; i++) assertEquals(0, m.values()[i], 0);
	}

	@Test
	public void oneEmptySideGetsZeroOverlapAndTheImageDiagonal() {
		int[] shape = { 4, 5, 6 };
		double[] spacing = { 1, 2, 3 };
		boolean[] some = box(shape, 1, 1, 1, 2, 2, 2);
		double diagVox = Math.sqrt(16 + 25 + 36), diagMm = Math.sqrt(16 + 100 + 324);
		assertEquals(diagVox, SegmentationMetrics.worstCaseDistance(shape, UNIT), 1e-12);
		assertEquals(diagMm, SegmentationMetrics.worstCaseDistance(shape, spacing), 1e-12);
		ClassMetrics missed = SegmentationMetrics.compute(new boolean[120], some, shape, spacing);
		ClassMetrics spurious = SegmentationMetrics.compute(some, new boolean[120], shape, spacing);
		assertEquals(EmptySide.PREDICTION, missed.empty());
		assertEquals(EmptySide.TRUTH, spurious.empty());
		for (ClassMetrics m : new ClassMetrics[] { missed, spurious }) {
			assertEquals(0, m.dice(), 0);
			assertEquals(0, m.jaccard(), 0);
			assertEquals(diagVox, m.hd95Voxels(), 1e-12);
			assertEquals(diagVox, m.asdVoxels(), 1e-12);
			assertEquals(diagVox, m.assdVoxels(), 1e-12);
			assertEquals(diagMm, m.hd95Mm(), 1e-12);
			assertEquals(diagMm, m.asdMm(), 1e-12);
			assertEquals(diagMm, m.assdMm(), 1e-12);
		}
		// worse than the farthest real miss possible: two single voxels in opposite corners
		boolean[] corner = new boolean[120], opposite = new boolean[120];
		corner[0] = true;
		opposite[119] = true;
		assertTrue(SegmentationMetrics.compute(corner, opposite, shape, spacing).hd95Mm() < diagMm);
	}

	@Test
	public void identicalMasksArePerfect() {
		int[] shape = { 8, 8, 8 };
		boolean[] m = box(shape, 0, 2, 3, 5, 4, 5); // touches the border too
		ClassMetrics r = SegmentationMetrics.compute(m, m.clone(), shape, new double[] { 0.7, 1, 2 });
		assertEquals(1, r.dice(), 0);
		assertEquals(1, r.jaccard(), 0);
		for (int i = 2; i < 8; i++) assertEquals(0, r.values()[i], 0);
	}

	@Test
	public void percentileInterpolatesLikeNumpy() {
		// numpy.percentile([1, 2, 3, 4], 95) = 3.85; ([5], 95) = 5; ([0, 10], 50) = 5
		assertEquals(3.85, Stats.percentile(new double[] { 4, 1, 3, 2 }, 95), 1e-12);
		assertEquals(5, Stats.percentile(new double[] { 5 }, 95), 0);
		assertEquals(5, Stats.percentile(new double[] { 10, 0 }, 50), 1e-12);
	}
}
