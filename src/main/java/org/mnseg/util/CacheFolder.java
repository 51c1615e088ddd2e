package org.mnseg.util;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The root of M&N's cache, shared by the command line and Fiji: {@code -Dmn.cache=DIR}, else {@code $MN_CACHE_DIR},
 * else {@code ~/.cache/mnseg}. It holds the engine's natives ({@code djl/}), pretrained weights ({@code models/}) and
 * the CPU-kernel record.
 */
public final class CacheFolder {
	private CacheFolder() {}

	public static Path root() {
		String p = System.getProperty("mn.cache");
		if (p == null || p.isBlank()) p = System.getenv("MN_CACHE_DIR");
		return p != null && !p.isBlank() ? Paths.get(p) : Paths.get(System.getProperty("user.home"), ".cache", "mnseg");
	}
}
