package org.mnseg.util;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A write that failed because the disk (or the user's quota) is full. Not a fault of M&N and not a mistake in the
 * input, but something the user fixes in the same way: one line saying what to do. Every file goes through
 * {@link AtomicFiles}, so the file that was there before is unchanged and no temporary file is left; the line says so.
 * Batch segmentation ends on it instead of recording one failed volume per input, since every other volume would
 * fail the same way.
 */
public final class DiskFullError extends UserError {
	private static final long serialVersionUID = 1L;

	/**
	 * How the operating system words "no space": Linux and macOS (ENOSPC, EDQUOT), Windows. Java only passes the
	 * system's text on (an IOException's message, or a FileSystemException's reason), so the text is all there is.
	 */
	private static final List<String> WORDINGS = List.of("no space left on device", "disk quota exceeded", "not enough space on the disk");

	private final Path target;

	private DiskFullError(Path target, Throwable cause) {
		super("The disk is full: " + (target == null ? "a file" : target) + " could not be written" + free(target) + ", and the file that was there before (if any) is "
			+ "unchanged. Free some space, then run the same command again (a training run: add --resume to continue from its last checkpoint).",
			cause);
		this.target = target;
	}

	/** The file that could not be written; null where the write happened outside M&N's own writes. */
	public Path target() {
		return target;
	}

	/** Whether {@code e} or one of its causes says that the disk or quota is full. */
	public static boolean isDiskFull(Throwable e) {
		for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
			String text = t instanceof FileSystemException f && f.getReason() != null ? f.getReason() : t.getMessage();
			if (t instanceof IOException && text != null) {
				String lower = text.toLowerCase(Locale.ROOT);
				for (String w : WORDINGS)
					if (lower.contains(w)) return true;
			}
		}
		return false;
	}

	/**
	 * The error for a failed write of {@code target} (null: not known, e.g. a library's own write), or null when
	 * {@code e} is not about a full disk.
	 */
	public static DiskFullError of(Path target, Throwable e) {
		return isDiskFull(e) ? new DiskFullError(target, e) : null;
	}

	/** " (12 kB free there)", or nothing when the file system does not say. */
	private static String free(Path target) {
		if (target == null) return "";
		try {
			Path folder = target.toAbsolutePath().getParent();
			while (folder != null && !Files.exists(folder)) folder = folder.getParent();
			if (folder == null) return "";
			long bytes = Files.getFileStore(folder).getUsableSpace();
			return " (" + human(bytes) + " free there)";
		}
		catch (IOException | RuntimeException e) {
			return "";
		}
	}

	private static String human(long bytes) {
		if (bytes < 1024) return bytes + " bytes";
		if (bytes < 1024 * 1024) return bytes / 1024 + " kB";
		if (bytes < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
		return String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
	}
}
