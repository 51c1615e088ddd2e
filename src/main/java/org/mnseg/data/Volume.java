package org.mnseg.data;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * An intensity volume: an ImgLib2 float image with axes X, Y, Z and, when it has more than one channel, C last.
 * Storage is one flat array with X varying fastest, i.e. the C-order tensor layout [C, Z, Y, X] that the networks
 * use, so no copy is needed between the two.
 */
public final class Volume {
	private final ArrayImg<FloatType, FloatArray> image;
	private final Geometry geometry;

	private Volume(ArrayImg<FloatType, FloatArray> image, Geometry geometry) {
		if (image.numDimensions() != 3 && image.numDimensions() != 4)
			throw new IllegalArgumentException("a volume has 3 axes (X, Y, Z) or 4 (X, Y, Z, C), got " + image.numDimensions());
		this.image = image;
		this.geometry = geometry == null ? Geometry.unit() : geometry;
	}

	/** Wraps (no copy) a flat array in X-fastest order; dims are {x, y, z} or {x, y, z, c}. */
	public static Volume wrap(float[] data, long[] dims, Geometry geometry) {
		long n = 1;
		for (long d : dims) n *= d;
		if (n != data.length) throw new IllegalArgumentException("data has " + data.length + " values, dims need " + n);
		return new Volume(ArrayImgs.floats(data, dims), geometry);
	}

	/** Copies any real-valued ImgLib2 image (3 axes X, Y, Z, or 4 with channels last) into a volume. */
	public static Volume copyOf(RandomAccessibleInterval<? extends RealType<?>> source, Geometry geometry) {
		long[] dims = source.dimensionsAsLongArray();
		ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(dims);
		Cursor<FloatType> out = img.cursor();
		// flatIterable guarantees X-fastest order whatever the source's own iteration order is
		for (RealType<?> v : Views.flatIterable(Views.zeroMin(source))) out.next().setReal(v.getRealDouble());
		return new Volume(img, geometry);
	}

	public ArrayImg<FloatType, FloatArray> image() {
		return image;
	}

	public Geometry geometry() {
		return geometry;
	}

	/** {x, y, z}. */
	public int[] shape() {
		return new int[] { (int) image.dimension(0), (int) image.dimension(1), (int) image.dimension(2) };
	}

	public int channels() {
		return image.numDimensions() == 4 ? (int) image.dimension(3) : 1;
	}

	public long voxelsPerChannel() {
		return image.dimension(0) * image.dimension(1) * image.dimension(2);
	}

	/** The backing array, all channels one after the other, X fastest. Writes go to the volume. */
	public float[] data() {
		return image.update(null).getCurrentStorageArray();
	}

	public Volume withGeometry(Geometry g) {
		return new Volume(image, g);
	}
}
