package org.mnseg.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mnseg.util.AtomicFiles;
import org.mnseg.util.UserError;

/** Checks and error messages shared by the readers, so that every format reports a bad path the same way. */
public final class InputFiles {
	private InputFiles() {}

	/** Fails with a UserError unless {@code path} is an existing, readable regular file. */
	public static void requireReadable(Path path) {
		if (!Files.exists(path)) throw new UserError("File not found: " + path + ". Check the path and the file name.");
		if (Files.isDirectory(path)) throw new UserError(path + " is a folder, not a volume file. Give the path of a file inside it.");
		if (!Files.isReadable(path)) throw new UserError("Cannot read " + path + ": permission denied.");
	}

	/** A UserError for an I/O failure while reading {@code path}. */
	public static UserError cannotRead(Path path, String format, IOException e) {
		return new UserError("Could not read " + path + " as " + format + ": " + AtomicFiles.describe(e)
			+ ". The file may be truncated or not a " + format + " file.", e);
	}
}
