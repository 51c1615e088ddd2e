package org.mnseg.fiji;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.mnseg.workflow.TrainOptions;

import ij.IJ;
import ij.ImageJ;

/**
 * A user who quits ImageJ (File &gt; Quit) while "M&amp;N Co-Train" trains, in the real ImageJ GUI (run in its own JVM
 * by {@link QuitDuringTrainingTest}): ImageJ started as its launcher starts it, so that quitting ends the JVM; the
 * training started from the menu command with its Cancel window and live plot; File &gt; Quit once the first checkpoint
 * is written, which closes every window under the running training and then exits. Prints {@code QUIT} when it quits
 * and, as the JVM exits, whether the training thread has ended (if not, every thread's stack, for the test's failure
 * message), then the Log window's text ("null": quitting closed it, and the command's last lines went to the console).
 * <p>
 * Arguments: macroOptions runDir
 */
public final class QuitDriver {
	private QuitDriver() {}

	public static void main(String[] args) throws Exception {
		String options = args[0];
		Path run = Paths.get(args[1]);
		ImageJ.main(new String[0]); // exit when quitting, as a user's ImageJ
		while (IJ.getInstance() == null) Thread.sleep(50);

		Thread training = new Thread(() -> IJ.run(CoTrainPlugin.COMMAND, options), "training");
		// the JVM runs its shutdown hooks side by side: this one waits for the training's last words, then shows the Log
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				training.join(90_000);
			} catch (InterruptedException e) {
				return;
			}
			System.out.println("TRAINING THREAD " + (training.isAlive() ? "still running" : "ended"));
			if (training.isAlive()) printThreads(); // where it is stuck: the test prints this on failure
			System.out.println("LOG>>\n" + IJ.getLog());
		}));
		training.start();
		while (!TrainOptions.hasCheckpoint(run) && training.isAlive()) Thread.sleep(100);
		System.out.println("QUIT");
		IJ.getInstance().quit(); // what File > Quit runs
		Thread.sleep(120_000);
		System.out.println("ImageJ did not exit");
		printThreads();
	}

	private static void printThreads() {
		Thread.getAllStackTraces().forEach((t, stack) -> {
			System.out.println("THREAD " + t.getName() + " " + t.getState());
			for (StackTraceElement e : stack) System.out.println("\tat " + e);
		});
	}
}
