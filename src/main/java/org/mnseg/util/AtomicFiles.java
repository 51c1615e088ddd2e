package org.mnseg.util;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that readers (and a run killed half-way) only ever see the old or the complete new content:
 * the bytes go to a temporary file in the same folder, which then replaces the target in one rename.
 */
public final class AtomicFiles {
	private AtomicFiles() {}

	/** Something that writes a file's content to a stream. */
	@FunctionalInterface
	public interface Writer {
		void write(OutputStream out) throws IOException;
	}

	public static void write(Path target, Writer writer) {
		Path dir = target.toAbsolutePath().getParent();
		try {
			Files.createDirectories(dir);
			Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
			try {
				try (OutputStream out = Files.newOutputStream(tmp)) {
					writer.write(out);
				}
				try {
					Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				} catch (AtomicMoveNotSupportedException e) {
					Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
				}
			} finally {
				Files.deleteIfExists(tmp);
			}
		} catch (IOException e) {
			throw new UserError("Could not write " + target + ": " + e.getMessage()
				+ ". Check that the folder exists, is writable and that the disk is not full.", e);
		}
	}

	public static void writeString(Path target, String text) {
		write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
	}

	public static String readString(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
