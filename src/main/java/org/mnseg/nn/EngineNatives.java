package org.mnseg.nn;

import java.util.Set;

import org.mnseg.util.UserError;

import ai.djl.util.Platform;

/**
 * Whether this computer has the PyTorch natives the engine needs, checked before the engine starts, so that a missing
 * or impossible one is one clear line instead of the engine's failure deep inside its start. DJL loads the natives
 * jar on the class path whose classifier matches the running system; without one it falls back to downloading them
 * (unless offline, as the command line always is).
 */
public final class EngineNatives {
	private EngineNatives() {}

	/** The classifiers of the CPU natives Maven Central serves for this PyTorch; the Fiji update site ships all four. */
	public static final Set<String> PUBLISHED = Set.of("linux-x86_64", "linux-aarch64", "win-x86_64", "osx-aarch64");

	private static final String WHERE_IT_RUNS = "64-bit Linux, ARM Linux, 64-bit Windows and Apple-silicon macOS";

	private static volatile boolean confirmed;

	/** Throws a {@link UserError} that says what to do where the engine cannot start on this computer. */
	public static void requireForThisComputer() {
		if (!confirmed) confirmed = check();
	}

	private static boolean check() {
		Platform found;
		try {
			found = Platform.detectPlatform("pytorch");
		} catch (AssertionError e) {
			// DJL knows Linux, macOS and Windows only
			if (e.getMessage() == null || !e.getMessage().startsWith("Unsupported platform")) throw e;
			throw new UserError("M&N's engine (PyTorch) does not run on " + System.getProperty("os.name") + ": use " + WHERE_IT_RUNS + ".");
		}
		if (!found.isPlaceholder()) return true; // a natives jar for this system is on the class path
		String here = found.getClassifier();
		if (!PUBLISHED.contains(here))
			throw new UserError("M&N's engine (PyTorch " + found.getVersion() + ") has no build for this computer (" + here + "): it runs on "
				+ WHERE_IT_RUNS + ".");
		if (Boolean.getBoolean("ai.djl.offline"))
			throw new UserError("The PyTorch libraries for this computer (" + here + ") are not installed: in Fiji run Help > Update... and apply "
				+ "the M&N site's changes; for the command line run scripts/setup on this computer (it fetches pytorch-native-cpu-"
				+ found.getVersion() + "-" + here + ".jar).");
		return true; // online, DJL fetches them
	}
}
