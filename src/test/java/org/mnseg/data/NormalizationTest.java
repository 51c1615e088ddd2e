package org.mnseg.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.mnseg.util.UserError;

public class NormalizationTest {
	private static final Geometry G = new Geometry(new double[] { 1, 2, 3 }, null);

	@Test
	public void mriIsZScorePerChannel() {
		// channel 0: 1..8, channel 1: constant 5 plus a large offset channel
		float[] v = new float[16];
		for (int i = 0; i < 8; i++) {
			v[i] = i + 1;
			v[8 + i] = 10000 + (i % 2);
		}
		Volume out = Normalization.MRI.apply(Volume.wrap(v, new long[] { 2, 2, 2, 2 }, G));
		assertEquals(2, out.channels());
		assertSame(G, out.geometry());
		double std0 = Math.sqrt(5.25); // population std of 1..8
		for (int i = 0; i < 8; i++) {
			assertEquals((i + 1 - 4.5) / std0, out.data()[i], 1e-6);
			assertEquals(i % 2 == 0 ? -1 : 1, out.data()[8 + i], 1e-6);
		}
		assertEquals("input untouched", 1f, v[0], 0);
	}

	@Test
	public void constantVolumeBecomesZerosNotNaN() {
		Volume out = Normalization.MRI.apply(Volume.wrap(new float[] { 3, 3, 3, 3 }, new long[] { 2, 2, 1 }, G));
		assertArrayEquals(new float[4], out.data(), 0);
	}

	@Test
	public void ctClipsToTheSoftTissueWindowAndScales() {
		float[] hu = { -1000, -175, 0, 37.5f, 250, 3000 };
		Volume out = Normalization.CT.apply(Volume.wrap(hu, new long[] { 6, 1, 1 }, G));
		assertArrayEquals(new float[] { 0, 0, 175f / 425, 212.5f / 425, 1, 1 }, out.data(), 1e-6f);
	}

	@Test
	public void noneCopies() {
		float[] v = { 1, -2, 3.5f, 4 };
		Volume in = Volume.wrap(v, new long[] { 2, 2, 1 }, G);
		Volume out = Normalization.NONE.apply(in);
		assertArrayEquals(v, out.data(), 0);
		assertNotSame(v, out.data());
	}

	@Test
	public void parseIsCaseInsensitiveAndListsChoices() {
		assertSame(Normalization.MRI, Normalization.parse("mri"));
		assertSame(Normalization.CT, Normalization.parse(" CT "));
		assertSame(Normalization.NONE, Normalization.parse("None"));
		try {
			Normalization.parse("zscore");
			fail("expected a UserError");
		}
		catch (UserError e) {
			String m = e.getMessage();
			assertTrue(m, m.contains("'zscore'") && m.contains("mri") && m.contains("ct") && m.contains("none"));
		}
	}
}
