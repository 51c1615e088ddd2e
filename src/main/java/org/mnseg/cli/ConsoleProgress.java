package org.mnseg.cli;

import java.io.PrintStream;
import java.util.Locale;

import org.mnseg.train.PhaseProgress;
import org.mnseg.train.RunListener;

/**
 * Progress on the terminal: one line rewritten in place when attached to a terminal, plain lines otherwise (log
 * files, cluster jobs: a line per epoch, and a few per phase such as reading the volumes).
 */
final class ConsoleProgress implements RunListener {
	private final PrintStream out;
	private final boolean terminal;
	private boolean lineOpen;
	private final PhaseProgress phaseClock = new PhaseProgress();

	ConsoleProgress(PrintStream out) {
		this.out = out;
		this.terminal = System.console() != null;
	}

	@Override
	public void epochFinished(EpochReport r) {
		String text = String.format(Locale.ROOT, "[%s] epoch %d/%d  loss %.4f  lr %.2e  elapsed %s  left %s", r.model(), r.epoch() + 1, r.epochs(),
			r.loss(), r.lr(), duration(r.elapsedSeconds()), duration(r.secondsLeft()));
		// resident memory is read from /proc: Linux only
		if (r.rssMb() >= 0) text += String.format(Locale.ROOT, "  rss %.0f MB (peak %.0f)", r.rssMb(), r.memory().peakRssMb());
		if (terminal) {
			out.print("\r" + text + "   ");
			lineOpen = true;
			if (r.epoch() + 1 == r.epochs()) endLine();
		} else {
			out.println(text);
		}
		out.flush();
	}

	/** A phase on the terminal's updating line; in a log, a line at each quarter of it. */
	@Override
	public void phase(String name, int done, int total) {
		double left = phaseClock.secondsLeft(name, done, total);
		String text = String.format(Locale.ROOT, "%s: %d/%d%s", name, done, total, Double.isFinite(left) ? "  left " + duration(left) : "");
		if (terminal) {
			out.print("\r" + text + "\u001b[K"); // erase the rest of a longer epoch line
			lineOpen = true;
			if (done == total) endLine();
		} else if (PhaseProgress.logged(done, total)) {
			out.println(text);
		}
		out.flush();
	}

	@Override
	public void message(String text) {
		endLine();
		out.println(text);
		out.flush();
	}

	void endLine() {
		if (lineOpen) out.println();
		lineOpen = false;
	}

	static String duration(double seconds) {
		if (!Double.isFinite(seconds)) return "?";
		long s = Math.round(seconds);
		return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
	}
}
