package org.mnseg.util;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Resident memory of this process (Java heap plus the engine's native memory), read from /proc on Linux. Returns
 * -1 where /proc is not available.
 */
public final class MemoryUsage {
	private MemoryUsage() {}

	/** Below this, dead direct buffers are left to the collector's own pace. */
	private static final long DIRECT_FLOOR_BYTES = 256L << 20;
	/** Direct memory still in use after the last collection this class asked for: the live part. */
	private static long directAfterLastRelease;

	/**
	 * Returns the native memory of dead direct buffers. DJL's PyTorch engine backs every array made from Java data with
	 * a direct buffer, and its native memory comes back only when the collector finds the buffer unreachable. A roomy
	 * heap collects its old generation rarely, so dead buffers pile up by the gigabyte: an M&N run's resident memory
	 * fell from 2.2 GB to 0.7 GB after one full collection. Collects (at most when the direct memory in use exceeds
	 * 256 MB and twice what was live after the last collection, so a heap full of images is not collected every time);
	 * meant for the ends of epochs and of volumes.
	 *
	 * @return whether it collected
	 */
	public static boolean releaseDeadDirectBuffers() {
		return releaseDeadDirectBuffers(DIRECT_FLOOR_BYTES);
	}

	static synchronized boolean releaseDeadDirectBuffers(long floorBytes) {
		long used = directBytesInUse();
		if (used < 0 || used < Math.max(floorBytes, 2 * directAfterLastRelease)) return false;
		System.gc(); // the only way to run the buffers' cleaners; a full collection also shrinks a heap grown by garbage
		// the cleaners run on their own thread after the collection: wait (briefly) until the level settles
		long level = directBytesInUse();
		for (int i = 0; i < 50; i++) {
			try {
				Thread.sleep(2);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
			long now = directBytesInUse();
			if (now >= level && i >= 5) break;
			level = now;
		}
		directAfterLastRelease = Math.max(0, level);
		return true;
	}

	/**
	 * One full collection after a burst of short-lived garbage, such as reading every volume of a data set. G1 grows
	 * the heap to keep up with such a burst and keeps it committed; young collections then size eden to the grown heap,
	 * so all of it becomes resident as training allocates. A full collection gives it back: reading LA-8 with 72
	 * unlabeled volumes grew the heap to 1.4 GB with 100 MB live; collected, it was 416 MB, and the M&N run's resident
	 * memory after its first epochs was about 400 MB lower.
	 */
	public static void shrinkHeapAfterBurst() {
		System.gc();
	}

	/** Bytes held by direct buffers, live or dead but not yet collected; -1 where the JVM does not say. */
	public static long directBytesInUse() {
		for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
			if (pool.getName().equals("direct")) return pool.getMemoryUsed();
		return -1;
	}

	/**
	 * Where a process's memory is at one moment: resident memory now and its peak since the sampler's previous reading,
	 * the Java heap's committed part (not all of it need be resident) and the direct buffers' bytes; the rest of the
	 * resident memory is native: the engine's tensors, the JVM itself. All in MB, -1 where the system does not say.
	 */
	public record Reading(double rssMb, double peakRssMb, double heapMb, double directMb) {}

	/** A reading now; the peak is {@code sampler}'s since its previous reading, or the current value without one. */
	public static Reading read(ResidentMemorySampler sampler) {
		double rss = rssMb();
		long direct = directBytesInUse();
		return new Reading(rss, sampler == null ? rss : Math.max(rss, sampler.takePeakMb()), Runtime.getRuntime().totalMemory() / MB,
			direct < 0 ? -1 : direct / MB);
	}

	private static final double MB = 1024.0 * 1024.0;

	/** Current resident set size in MB. */
	public static double rssMb() {
		return statusField("VmRSS:");
	}

	/** Peak resident set size of the process so far in MB. */
	public static double peakRssMb() {
		return statusField("VmHWM:");
	}

	private static double statusField(String key) {
		try {
			for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
				if (line.startsWith(key)) {
					String[] parts = line.substring(key.length()).trim().split("\\s+");
					return Long.parseLong(parts[0]) / 1024.0;
				}
			}
		} catch (IOException | RuntimeException e) {
			// not Linux: memory is simply not reported
		}
		return -1;
	}
}
