package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;

import org.junit.Test;
import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;

/** Where and how large a label image opens. */
public class LabelImagesTest {
	@Test
	public void opensAtTheMiddleOfTheForegroundOrOfTheStack() {
		int[] shape = { 4, 3, 10 };
		byte[] data = new byte[4 * 3 * 10];
		assertEquals("no foreground: the middle slice", 6, LabelImages.middleForegroundSlice(LabelVolume.wrap(data, shape, Geometry.unit())));
		data[2 * 12 + 5] = 1; // slice 3
		data[7 * 12 + 11] = 2; // slice 8
		assertEquals(5, LabelImages.middleForegroundSlice(LabelVolume.wrap(data, shape, Geometry.unit())));
		data[9 * 12] = 1; // slice 10
		assertEquals(6, LabelImages.middleForegroundSlice(LabelVolume.wrap(data, shape, Geometry.unit())));
	}

	@Test
	public void smallSlicesAreZoomedInAndLargeOnesFitTheScreen() {
		// a 40 x 50 hippocampus slice on a 1366 x 768 laptop: limited by 60% of the height, 460 px, so 8x (400 px)
		assertEquals(8, LabelImages.fitMagnification(40, 50, 1366, 768), 0);
		assertEquals(1, LabelImages.fitMagnification(800, 600, 1920, 1080), 0);
		assertEquals(1.5, LabelImages.fitMagnification(512, 400, 1920, 1080), 0);
		assertEquals(0.5, LabelImages.fitMagnification(2048, 1024, 2560, 1440), 0);
		assertEquals(0.25, LabelImages.fitMagnification(20000, 20000, 1366, 768), 0);
	}
}
