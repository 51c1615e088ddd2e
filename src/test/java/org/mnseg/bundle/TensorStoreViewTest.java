package org.mnseg.bundle;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** A checkpoint's tensors written straight from the engine's arrays: the same file, and no copy on the Java heap. */
public class TensorStoreViewTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void viewsAreWrittenWithTheValuesTheArraysHoldWhenWritten() {
		try (NDManager m = NDManager.newBaseManager()) {
			Map<String, NDArray> arrays = new LinkedHashMap<>();
			arrays.put("conv.weight", m.arange(0f, 24f).reshape(2, 3, 4));
			// not contiguous in memory: its values must still come out in C order of its own shape
			arrays.put("transposed", m.arange(0f, 6f).reshape(2, 3).transpose());
			TensorStore store = TensorStore.viewOf(arrays);
			arrays.get("conv.weight").muli(2); // changed after the store was made, before it was written

			ZipContainer zip = new ZipContainer();
			zip.putTensors("models/3d", store);
			Path file = tmp.getRoot().toPath().resolve("views.mnckpt");
			zip.write(file);
			TensorStore back = ZipContainer.read(file, "checkpoint").tensors("models/3d");

			assertArrayEquals(new long[] { 2, 3, 4 }, back.get("conv.weight").shape());
			assertArrayEquals(arrays.get("conv.weight").toFloatArray(), back.get("conv.weight").data(), 0f);
			assertArrayEquals(new long[] { 3, 2 }, back.get("transposed").shape());
			assertArrayEquals(new float[] { 0, 3, 1, 4, 2, 5 }, back.get("transposed").data(), 0f);
		}
	}

	@Test
	public void writingViewsPutsNoCopyOfTheTensorsOnTheHeap() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long thread = Thread.currentThread().getId();
		int floats = 8 << 20; // 32 MB of values
		try (NDManager m = NDManager.newBaseManager()) {
			Map<String, NDArray> arrays = new LinkedHashMap<>();
			arrays.put("big", m.ones(new ai.djl.ndarray.types.Shape(floats)));
			ZipContainer zip = new ZipContainer();
			zip.putTensors("models/2d", TensorStore.viewOf(arrays));
			Path file = tmp.getRoot().toPath().resolve("big.mnckpt");
			long before = threads.getThreadAllocatedBytes(thread);
			zip.write(file);
			long allocated = threads.getThreadAllocatedBytes(thread) - before;
			// a copy of the values (what writing a copied store costs) would be 32 MB; the write buffers are well under 4
			assertTrue("writing 32 MB of tensor values from views allocated " + (allocated >> 20) + " MB on the heap", allocated < (4L << 20));
		}
	}
}
