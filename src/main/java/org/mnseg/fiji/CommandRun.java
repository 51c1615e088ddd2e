package org.mnseg.fiji;

/**
 * The one way every M&amp;N command runs, whichever face started it (an ImageJ 1.x plugin from a menu or a macro, or
 * a SciJava command): the command's body with the plugin's class loader as the thread's context class loader, and its
 * failures reported by {@link Feedback}.
 * <p>
 * Why the class loader: plain ImageJ 1.x ({@code java -jar ij.jar}) loads {@code plugins/} and {@code jars/} through
 * its own plugin class loader, while its threads keep the application class loader as their context class loader.
 * DJL finds its engine (a {@code ServiceLoader} lookup, once, when its {@code Engine} class initialises) and the
 * PyTorch natives inside {@code jars/} through the context class loader, so without this it reports "Deep learning
 * engine not found: PyTorch". In Fiji the launcher puts everything on one class path and the switch changes nothing.
 * Threads a command starts inherit the context class loader, so a training started from the event thread sees it too.
 */
final class CommandRun {
	private CommandRun() {}

	/** Runs {@code body} for the command titled {@code command}; never throws. */
	static void run(String command, Runnable body) {
		Thread thread = Thread.currentThread();
		ClassLoader before = thread.getContextClassLoader();
		thread.setContextClassLoader(CommandRun.class.getClassLoader());
		try {
			body.run();
		} catch (Throwable t) {
			Feedback.report(command, t);
		} finally {
			thread.setContextClassLoader(before);
		}
	}
}
