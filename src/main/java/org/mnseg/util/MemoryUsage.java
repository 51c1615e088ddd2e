package org.mnseg.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Resident memory of this process (Java heap plus the engine's native memory), read from /proc on Linux. Returns
 * -1 where /proc is not available.
 */
public final class MemoryUsage {
	private MemoryUsage() {}

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
