package org.mnseg.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Whole folders for tests that need a variant of a data set: copied, then changed in the copy. */
public final class FileTrees {
	private FileTrees() {}

	/** Copies {@code from} with everything under it to {@code to} (created where missing). */
	public static void copy(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from)) {
			for (Path p : files.toList()) {
				Path target = to.resolve(from.relativize(p).toString());
				if (Files.isDirectory(p)) Files.createDirectories(target);
				else Files.copy(p, target);
			}
		}
	}
}
