package org.mnseg.export;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

import javax.imageio.ImageIO;

/**
 * The model's cover: one axial slice of the test volume, as is (left) and with the model's segmentation over it
 * (right), side by side, which gives the 2:1 picture BioImage.IO recommends for square slices. The slice is the one
 * with the most foreground; grey values span the slice's 1st to 99th percentile.
 */
final class CoverImage {
	/** Class colours after background (transparent): red, green, blue, yellow, magenta, cyan, then again. */
	private static final int[] COLOURS = { 0xe6194b, 0x3cb44b, 0x4363d8, 0xffe119, 0xf032e6, 0x42d4f4 };
	private static final int MIN_HEIGHT = 256;

	private CoverImage() {}

	/**
	 * @param image first channel of the tile, {@code [z][y][x]} flattened, x fastest
	 * @param labels class per voxel, same layout
	 * @param size {x, y, z}
	 */
	static byte[] png(float[] image, int[] labels, int[] size) {
		int nx = size[0], ny = size[1], nz = size[2], plane = nx * ny;
		int best = nz / 2;
		long bestCount = -1;
		for (int z = 0; z < nz; z++) {
			long count = 0;
			for (int i = 0; i < plane; i++) if (labels[z * plane + i] != 0) count++;
			if (count > bestCount) {
				bestCount = count;
				best = z;
			}
		}
		float[] slice = Arrays.copyOfRange(image, best * plane, (best + 1) * plane);
		float[] sorted = slice.clone();
		Arrays.sort(sorted);
		float lo = sorted[(int) (0.01 * (plane - 1))], hi = sorted[(int) (0.99 * (plane - 1))];
		if (hi <= lo) hi = lo + 1;
		int scale = Math.max(1, (MIN_HEIGHT + ny - 1) / ny);
		BufferedImage picture = new BufferedImage(2 * nx * scale, ny * scale, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < nx; x++) {
				int g = (int) Math.round(255 * Math.min(1, Math.max(0, (slice[y * nx + x] - lo) / (hi - lo))));
				int grey = g << 16 | g << 8 | g;
				int label = labels[best * plane + y * nx + x];
				int overlay = label == 0 ? grey : blend(grey, COLOURS[(label - 1) % COLOURS.length]);
				for (int dy = 0; dy < scale; dy++)
					for (int dx = 0; dx < scale; dx++) {
						picture.setRGB(x * scale + dx, y * scale + dy, grey);
						picture.setRGB((nx + x) * scale + dx, y * scale + dy, overlay);
					}
			}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			if (!ImageIO.write(picture, "png", out)) throw new IllegalStateException("no PNG writer in this Java runtime");
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return out.toByteArray();
	}

	/** Half grey, half class colour. */
	private static int blend(int grey, int colour) {
		int r = ((grey >> 16 & 0xff) + (colour >> 16 & 0xff)) / 2;
		int g = ((grey >> 8 & 0xff) + (colour >> 8 & 0xff)) / 2;
		int b = ((grey & 0xff) + (colour & 0xff)) / 2;
		return r << 16 | g << 8 | b;
	}
}
