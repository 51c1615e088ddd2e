package org.mnseg.testutil;

import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The team's read-only data folder ({@code ../shared} beside the project, or {@code -Dmn.shared=DIR}). Tests that
 * need it skip with a message where it is absent, and run everywhere else.
 */
public final class SharedData {
	private SharedData() {}

	public static Path root() {
		return Paths.get(System.getProperty("mn.shared", "../shared")).toAbsolutePath().normalize();
	}

	/** The path below the shared folder, or skips the calling test when it is not there. */
	public static Path require(String relative) {
		Path p = root().resolve(relative);
		assumeTrue("skipped: " + p + " not found (needs the team's shared data folder beside the project, or -Dmn.shared=DIR)",
			Files.exists(p));
		return p;
	}
}
