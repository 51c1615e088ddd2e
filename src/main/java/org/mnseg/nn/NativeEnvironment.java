package org.mnseg.nn;

import java.util.Locale;

import com.sun.jna.NativeLibrary;

/**
 * The process's native environment, where the engine's libraries read their settings with getenv. Java's
 * {@code System.getenv} is a copy taken at start-up: it neither sees nor makes changes there.
 */
final class NativeEnvironment {
	private NativeEnvironment() {}

	private static boolean windows() {
		return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
	}

	/**
	 * The C library whose environment the engine reads. On Windows each C runtime keeps its own copy of the
	 * environment, and PyTorch's libraries, like the JVM, use the universal one (ucrtbase), not the old msvcrt
	 * (chosen from how the runtimes work; not run on Windows here).
	 */
	private static NativeLibrary libc() {
		if (!windows()) return NativeLibrary.getInstance("c");
		try {
			return NativeLibrary.getInstance("ucrtbase");
		} catch (UnsatisfiedLinkError e) {
			return NativeLibrary.getInstance("msvcrt");
		}
	}

	/** Sets a variable; false where that is impossible. */
	static boolean set(String name, String value) {
		try {
			if (windows()) return libc().getFunction("_putenv_s").invokeInt(new Object[] {name, value}) == 0;
			return libc().getFunction("setenv").invokeInt(new Object[] {name, value, 1}) == 0;
		} catch (LinkageError | RuntimeException e) { // also a JNA that cannot load its own native part
			return false;
		}
	}

	/** A variable's value, or null when it is not set or cannot be read. */
	static String get(String name) {
		try {
			return libc().getFunction("getenv").invokeString(new Object[] {name}, false);
		} catch (LinkageError | RuntimeException e) { // also a JNA that cannot load its own native part
			return null;
		}
	}
}
