package org.mnseg.util;

import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import com.sun.jna.Memory;

public class NativeHeapTest {
	@Test
	public void freeMemoryTheHeapKeepsGoesBackToTheSystem() {
		assumeTrue("glibc's malloc_trim (Linux with glibc)", NativeHeap.available() && MemoryUsage.rssMb() > 0);
		// 4096 blocks of 64 KB, under glibc's mmap threshold: they come from the heap, as the engine's smaller tensors do;
		// a small live block after each leaves them as holes that free() cannot give back by shrinking the heap's top
		List<Memory> blocks = new ArrayList<>(), pins = new ArrayList<>();
		for (int i = 0; i < 4096; i++) {
			Memory b = new Memory(64 << 10);
			b.clear(); // touched: resident
			blocks.add(b);
			pins.add(new Memory(64));
		}
		double full = MemoryUsage.rssMb();
		for (Memory b : blocks) b.close();
		double freed = MemoryUsage.rssMb();
		boolean trimmed = NativeHeap.trim();
		double after = MemoryUsage.rssMb();
		for (Memory p : pins) p.close();
		assertTrue("free() alone kept the memory: " + full + " -> " + freed + " MB", freed > full - 64);
		assertTrue("trim handed it back: " + freed + " -> " + after + " MB", trimmed && after < freed - 128);
	}
}
