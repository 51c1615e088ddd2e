package org.mnseg.spark;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

import org.mnseg.bundle.ModelBundle;
import org.mnseg.util.Devices;
import org.mnseg.inference.Segmenter;

/**
 * The model on an executor: the bundle is read once per executor JVM, and each of its task slots keeps one network
 * (a {@link Segmenter} is not shared by two threads at once), reused by every partition that slot runs. Spark's
 * executors live as long as the application, so the networks are never closed before the JVM ends.
 */
final class ExecutorSegmenters {
	private static ModelBundle bundle;
	private static Path bundleFile;
	private static String bundleRole;
	private static final Deque<Segmenter> idle = new ArrayDeque<>();
	/** How many times this JVM read the bundle and built a network (the test checks "once per executor"). */
	static volatile int bundleLoads, networks;

	private ExecutorSegmenters() {}

	/** A segmenter of {@code file}'s network {@code role} (null: the bundle's default) for the calling task. */
	static synchronized Segmenter borrow(Path file, String role) {
		if (bundle == null || !file.equals(bundleFile) || !java.util.Objects.equals(role, bundleRole)) {
			idle.forEach(Segmenter::close);
			idle.clear();
			bundle = ModelBundle.load(file);
			bundleFile = file;
			bundleRole = role;
			bundleLoads++;
		}
		Segmenter s = idle.pollFirst();
		if (s != null) return s;
		networks++;
		return new Segmenter(bundle, role, Devices.resolve("auto"), Segmenter.defaultWindow(bundle.info()));
	}

	/** Gives a segmenter back for the next partition. */
	static synchronized void giveBack(Segmenter s) {
		idle.addFirst(s);
	}
}
