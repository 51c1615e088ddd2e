package org.mnseg.util;

import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.ByteBuffer;

import org.junit.Test;

public class ResidentMemorySamplerTest {
	private static final int MB = 1 << 20;

	@Test
	public void aPeakBetweenTwoReadingsIsCaughtAfterItsMemoryIsGone() throws InterruptedException {
		assumeTrue("resident memory is read from /proc (Linux only)", MemoryUsage.rssMb() > 0);
		try (ResidentMemorySampler sampler = ResidentMemorySampler.start(10)) {
			sampler.takePeakMb();
			double during = touched256MbBufferThenDropped();
			// the buffer's native memory comes back once the collector has run its cleaner (a 256 MB block is its own mapping)
			double after = MemoryUsage.rssMb();
			for (long end = System.nanoTime() + 20_000_000_000L; after > during - 128 && System.nanoTime() < end; after = MemoryUsage.rssMb()) {
				System.gc();
				Thread.sleep(50);
			}
			assumeTrue("the freed buffer's memory left the process (" + during + " -> " + after + " MB)", after <= during - 128);
			double peak = sampler.takePeakMb();
			assertTrue("the peak (" + peak + " MB) covers the buffer's time (" + during + " MB), not only the end (" + after + " MB)", peak >= during);
			double next = sampler.takePeakMb();
			assertTrue("a new interval starts from now: " + next + " MB after a peak of " + peak, next < during - 64);
			assertTrue("the process's own peak is untouched", MemoryUsage.peakRssMb() >= during);
		}
	}

	private static double touched256MbBufferThenDropped() throws InterruptedException {
		ByteBuffer b = ByteBuffer.allocateDirect(256 * MB);
		for (int i = 0; i < b.capacity(); i += 4096) b.put(i, (byte) 1);
		double during = MemoryUsage.rssMb();
		Thread.sleep(100); // ten sampling periods
		return during;
	}
}
