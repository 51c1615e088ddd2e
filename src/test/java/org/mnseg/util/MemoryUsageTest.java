package org.mnseg.util;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class MemoryUsageTest {
	@Test
	public void deadDirectBuffersAreReturnedOnceTheyPileUp() {
		long floor = 64L << 20;
		MemoryUsage.releaseDeadDirectBuffers(floor); // start from a settled level
		long before = MemoryUsage.directBytesInUse();
		List<ByteBuffer> garbage = new ArrayList<>();
		for (int i = 0; i < 24; i++) garbage.add(ByteBuffer.allocateDirect(8 << 20)); // 192 MB, as arrays made from Java data leave
		long piled = MemoryUsage.directBytesInUse();
		assertTrue("the pool counts the new buffers: " + before + " -> " + piled, piled >= before + (192L << 20));
		garbage = null;
		assertTrue("192 MB of dead buffers above a 64 MB floor are collected", MemoryUsage.releaseDeadDirectBuffers(floor));
		long after = MemoryUsage.directBytesInUse();
		// the cleaners run on their own thread, which a loaded machine may start late
		for (long end = System.nanoTime() + 20_000_000_000L; after >= piled - (128L << 20) && System.nanoTime() < end; after = MemoryUsage.directBytesInUse())
			sleep(50);
		assertTrue("the dead buffers' memory is back: " + piled + " -> " + after, after < piled - (128L << 20));
		assertFalse("nothing new piled up: no second collection", MemoryUsage.releaseDeadDirectBuffers(floor));
	}

	private static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		} catch (InterruptedException e) {
			throw new AssertionError(e);
		}
	}
}
