package org.mnseg.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary file in the target's
 * folder (same file system, so the final rename is atomic), which then replaces the target.
 */
public final class AtomicFiles {
	private AtomicFiles() {}

	/** Produces a file's content, either into a stream or into a given (temporary) path. */
	@FunctionalInterface
	public interface StreamWriter {
		void write(OutputStream out) throws IOException;
	}

	/** Writes a file's content to the given path; for libraries that only write to paths (ImageJ's FileSaver). */
	@FunctionalInterface
	public interface PathWriter {
		void write(Path temporary) throws IOException;
	}

	/** Writes {@code target} atomically from a stream; parent folders are created. */
	public static void write(Path target, StreamWriter writer) {
		writeVia(target, tmp -> {
			try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
				writer.write(out);
			}
		});
	}

	/**
	 * Lets {@code writer} fill a temporary file next to {@code target} (hidden, and ending in the target's whole name,
	 * so writers that choose the format by extension behave), then moves it over the target. Any failure removes the temporary file and becomes a UserError.
	 */
	public static void writeVia(Path target, PathWriter writer) {
		Path absolute = target.toAbsolutePath();
		Path folder = absolute.getParent();
		Path tmp = null;
		Exception failure = null;
		try {
			Files.createDirectories(folder);
			String name = absolute.getFileName().toString();
			tmp = Files.createTempFile(folder, ".part", "-" + name);
			readableByAll(tmp);
			writer.write(tmp);
			moveOver(tmp, absolute);
			tmp = null;
		}
		catch (IOException | UncheckedIOException e) {
			failure = e;
		}
		finally {
			if (tmp != null) {
				try {
					Files.deleteIfExists(tmp);
				}
				catch (IOException ignored) {
					// the original error matters more than a left-over temporary file
				}
			}
		}
		if (failure == null) return;
		// after the temporary file is gone, so that the free space the message names is what the user has
		DiskFullError full = DiskFullError.of(target, failure);
		if (full != null) throw full;
		Exception e = failure instanceof UncheckedIOException u ? u.getCause() : failure;
		throw new UserError("Could not write " + target + ": " + describe(e) + ". Check that the folder exists, is writable and has free space.", failure);
	}

	private static void moveOver(Path tmp, Path target) throws IOException {
		try {
			Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException e) {
			// some network file systems cannot rename atomically; a plain replace is the best they offer
			Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/**
	 * An exception's message for users, in words rather than Java's class names: "PATH: not found" for a
	 * NoSuchFileException (whose message is the path alone), the system's reason where it gave one, else the message
	 * or the exception's kind.
	 */
	public static String describe(Exception e) {
		if (e instanceof FileSystemException f && f.getFile() != null) {
			String what = f instanceof NoSuchFileException ? "not found"
				: f instanceof AccessDeniedException ? "permission denied"
				: f instanceof NotDirectoryException ? "not a folder"
				: f instanceof FileAlreadyExistsException ? "exists already (a file where a folder belongs?)"
				: f.getReason() != null ? f.getReason() : "cannot be used";
			return f.getFile() + ": " + what;
		}
		String m = e.getMessage();
		return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
	}

	/** Writes a UTF-8 text file atomically. */
	public static void writeString(Path target, String text) {
		write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
	}

	/** Reads a UTF-8 text file. */
	public static String readString(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Temporary files are created private (0600); results are ordinary files that others may read. */
	private static void readableByAll(Path tmp) {
		try {
			Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
		}
		catch (IOException | UnsupportedOperationException e) {
			// not a POSIX file system: its defaults apply
		}
	}
}
