package org.mnseg.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The code version recorded in every model bundle: project version and git commit of the build. */
public final class Version {
	private Version() {}

	private static final Properties PROPS = load();

	private static Properties load() {
		Properties p = new Properties();
		try (InputStream in = Version.class.getResourceAsStream("/mnseg-version.properties")) {
			if (in != null) p.load(in);
		} catch (IOException e) {
			// an unknown version is recorded as such
		}
		return p;
	}

	public static String version() {
		return clean(PROPS.getProperty("version"));
	}

	public static String commit() {
		return clean(PROPS.getProperty("commit"));
	}

	/** e.g. {@code 0.1.0-SNAPSHOT (3f2a1c9)}. */
	public static String describe() {
		return version() + " (" + commit() + ")";
	}

	private static String clean(String v) {
		return v == null || v.isEmpty() || v.startsWith("${") ? "unknown" : v;
	}
}
