package org.mnseg.fiji;

import java.util.function.BooleanSupplier;

import org.mnseg.util.StopOnExit;

/**
 * The one way every M&amp;N command runs, whichever face started it (an ImageJ 1.x plugin from a menu or a macro, or
 * a SciJava command): the command's body with the plugin's class loader as the thread's context class loader, its
 * failures reported by {@link Feedback}, and an exit of the JVM while it runs (quitting Fiji, SIGTERM to a headless
 * Fiji or ImageJ) turned into a stop at the run's next safe point ({@link StopOnExit}).
 * <p>
 * Why the stop is here and not in the runners: the exit waits only until the run is over, and a run is over once its
 * last words are out; a cancelled training's "tick Resume" line is said by the report below, which would otherwise
 * race the JVM's end.
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

	/** A command's body, given the check that turns true when the JVM is asked to exit: part of the run's cancel check. */
	interface Body {
		void run(BooleanSupplier exiting);
	}

	/** Runs {@code body}, which has nothing to stop part-way, for the command titled {@code command}; never throws. */
	static void run(String command, Runnable body) {
		run(command, exiting -> body.run());
	}

	/** Runs {@code body} for the command titled {@code command}; never throws. */
	static void run(String command, Body body) {
		Thread thread = Thread.currentThread();
		ClassLoader before = thread.getContextClassLoader();
		thread.setContextClassLoader(CommandRun.class.getClassLoader());
		try (StopOnExit stop = new StopOnExit(command, System.err)) {
			try {
				body.run(stop::requested);
			} catch (Throwable t) {
				Feedback.report(command, t);
			}
		} finally {
			thread.setContextClassLoader(before);
		}
	}
}
