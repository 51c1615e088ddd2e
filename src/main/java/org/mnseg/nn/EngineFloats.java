package org.mnseg.nn;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Reading an engine array's values without copying them onto the Java heap. */
public final class EngineFloats {
	private EngineFloats() {}

	/**
	 * The values of a float32 array in C order, read in place from the engine's memory where the array is contiguous
	 * (a copy of a large array would be garbage of its size, and as much again in native memory). Valid while the
	 * array is open; it shows later changes to the array.
	 */
	public static FloatBuffer view(NDArray array) {
		if (array.getDataType() != DataType.FLOAT32) throw new IllegalArgumentException("a float32 array is needed, got " + array.getDataType());
		return array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
	}
}
