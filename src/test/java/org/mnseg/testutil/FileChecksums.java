package org.mnseg.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The SHA-256 of every file under a folder (or of one file), by path relative to it: taken before and after a
 * command, equal snapshots prove that it changed, added and removed nothing there.
 */
public final class FileChecksums {
	private FileChecksums() {}

	public static Map<String, String> of(Path root) {
		Map<String, String> sums = new TreeMap<>();
		if (!Files.exists(root)) return sums;
		if (Files.isRegularFile(root)) {
			sums.put(root.getFileName().toString(), sha256(root));
			return sums;
		}
		try (Stream<Path> files = Files.walk(root)) {
			files.filter(Files::isRegularFile).forEach(f -> sums.put(root.relativize(f).toString(), sha256(f)));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return sums;
	}

	public static String sha256(Path file) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
