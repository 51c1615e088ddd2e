package org.mnseg.data;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * A label volume: class index per voxel (0 = background, at most 255 classes), axes X, Y, Z, X fastest.
 */
public final class LabelVolume {
	private final ArrayImg<UnsignedByteType, ByteArray> image;
	private final Geometry geometry;

	private LabelVolume(ArrayImg<UnsignedByteType, ByteArray> image, Geometry geometry) {
		if (image.numDimensions() != 3)
			throw new IllegalArgumentException("a label volume has 3 axes (X, Y, Z), got " + image.numDimensions());
		this.image = image;
		this.geometry = geometry == null ? Geometry.unit() : geometry;
	}

	/** Wraps (no copy) class indices stored as unsigned bytes in X-fastest order. */
	public static LabelVolume wrap(byte[] labels, int[] shape, Geometry geometry) {
		if ((long) shape[0] * shape[1] * shape[2] != labels.length)
			throw new IllegalArgumentException("labels have " + labels.length + " values, shape needs " + (long) shape[0] * shape[1] * shape[2]);
		return new LabelVolume(ArrayImgs.unsignedBytes(labels, shape[0], shape[1], shape[2]), geometry);
	}

	public ArrayImg<UnsignedByteType, ByteArray> image() {
		return image;
	}

	public Geometry geometry() {
		return geometry;
	}

	/** {x, y, z}. */
	public int[] shape() {
		return new int[] { (int) image.dimension(0), (int) image.dimension(1), (int) image.dimension(2) };
	}

	/** The backing array (unsigned: read with {@code b & 0xff}). */
	public byte[] data() {
		return image.update(null).getCurrentStorageArray();
	}

	/** 1 where the label is not background, 0 elsewhere. */
	public byte[] foregroundMask() {
		byte[] fg = new byte[data().length];
		byte[] labels = data();
		for (int i = 0; i < labels.length; i++) fg[i] = labels[i] != 0 ? (byte) 1 : 0;
		return fg;
	}

	public int label(int index) {
		return data()[index] & 0xff;
	}

	public int maxLabel() {
		int max = 0;
		for (byte b : data()) max = Math.max(max, b & 0xff);
		return max;
	}
}
