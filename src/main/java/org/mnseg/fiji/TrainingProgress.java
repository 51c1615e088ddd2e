package org.mnseg.fiji;

import java.awt.Color;
import java.awt.EventQueue;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.mnseg.train.PhaseProgress;
import org.mnseg.train.RunListener;
import org.mnseg.util.AtomicFiles;
import org.mnseg.workflow.RunFolder;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Plot;
import ij.gui.PlotWindow;
import ij.io.FileSaver;

/**
 * Training progress the Fiji way: epoch, loss and time left in the status bar, a progress bar over each epoch's steps
 * and over each long phase (reading the volumes, a foreground refresh, the test evaluation, named in the status bar),
 * and a live {@link Plot} of the loss per epoch (one curve per network) and of the validation Dice when volumes are
 * held out. After Resume the plot starts with the run's earlier epochs (from its {@code log.csv}) and is drawn in the
 * run's plot window if it is still open. Headless, or in a batch-mode macro, each epoch is a log line and each phase a
 * few. The plot is also saved as {@code loss-plot.png} in the run folder at the end.
 */
public class TrainingProgress implements RunListener {
	private static final Color[] COLORS = { Color.BLUE, Color.RED, new Color(0, 150, 0), Color.MAGENTA };

	private static final String VALIDATION = "validation Dice";
	private static final String TITLE = "M&N Co-Train loss";
	private final boolean quiet;
	/** Curve name to epoch (1-based) to value. */
	private final Map<String, TreeMap<Integer, Double>> curves = new LinkedHashMap<>();
	private final PhaseProgress phaseClock = new PhaseProgress();
	private String title = TITLE;
	/** Touched on the event thread only. */
	private PlotWindow window;

	public TrainingProgress() {
		this.quiet = Feedback.quiet();
	}

	/**
	 * Binds the plot to the run in {@code runDir}: its window is that run's (titled with the folder's name, so a start
	 * there finds it again), and a resumed run's plot begins with the epochs the folder's logs already hold.
	 */
	public void forRun(Path runDir, boolean resume) {
		Path name = runDir.toAbsolutePath().getFileName();
		title = TITLE + (name == null ? "" : " (" + name + ")");
		curves.clear();
		if (resume) {
			RunFolder.losses(runDir).forEach((model, losses) -> losses.forEach((epoch, loss) -> add(model, epoch, loss)));
			RunFolder.validationDice(runDir).forEach((epoch, dice) -> add(VALIDATION, epoch, dice));
		}
	}

	/** A point of a curve; an epoch trained again after a resume replaces it and the later ones of the stopped run. */
	private void add(String curve, int epoch, double value) {
		TreeMap<Integer, Double> points = curves.computeIfAbsent(curve, k -> new TreeMap<>());
		points.tailMap(epoch + 1, true).clear();
		points.put(epoch + 1, value);
	}

	@Override
	public void stepFinished(int epoch, int step, int stepsPerEpoch) {
		if (!quiet) IJ.showProgress(step + 1, stepsPerEpoch);
	}

	@Override
	public void epochFinished(EpochReport r) {
		String line = String.format(Locale.ROOT, "M&N Co-Train: %s epoch %d/%d, loss %.4f, %s left", r.model(), r.epoch() + 1, r.epochs(), r.loss(),
			duration(r.secondsLeft()));
		add(r.model(), r.epoch(), r.loss());
		if (quiet) Feedback.log(line);
		else {
			IJ.showStatus(line);
			IJ.showProgress(r.epoch() + 1, r.epochs());
			showPlot();
		}
	}

	/** Validation Dice joins the plot as its own curve (on held-out volumes, with --validation / options validation=K). */
	@Override
	public void validated(int epoch, double dice) {
		add(VALIDATION, epoch, dice);
		String line = String.format(Locale.ROOT, "M&N Co-Train: validation Dice %.4f after epoch %d", dice, epoch + 1);
		if (quiet) Feedback.log(line);
		else {
			IJ.showStatus(line);
			showPlot();
		}
	}

	/** A long phase: its name, count and time left in the status bar with a progress bar; a few log lines when quiet. */
	@Override
	public void phase(String name, int done, int total) {
		double left = phaseClock.secondsLeft(name, done, total);
		String line = "M&N Co-Train: " + name + " " + done + "/" + total + (Double.isFinite(left) ? ", " + duration(left) + " left" : "");
		if (quiet) {
			if (PhaseProgress.logged(done, total)) Feedback.log(line);
		} else {
			IJ.showStatus(line);
			IJ.showProgress(done, total);
		}
	}

	@Override
	public void message(String text) {
		Feedback.status("M&N Co-Train: " + text);
		if (quiet) return;
		IJ.log("M&N Co-Train: " + text);
	}

	/** The current loss plot (null before the first epoch). */
	public Plot plot() {
		if (curves.isEmpty()) return null;
		Plot plot = new Plot(title, "epoch", "loss (cross-entropy + Dice); validation Dice");
		int c = 0;
		StringBuilder legend = new StringBuilder();
		for (Map.Entry<String, TreeMap<Integer, Double>> e : curves.entrySet()) {
			double[] x = e.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
			double[] y = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
			plot.setColor(COLORS[c++ % COLORS.length]);
			plot.add(x.length > 1 ? "line" : "circle", x, y);
			legend.append(legend.length() == 0 ? "" : "\n").append(e.getKey().equals(VALIDATION) ? VALIDATION : e.getKey() + " network loss");
		}
		plot.setLimitsToFit(false);
		plot.addLegend(legend.toString());
		return plot;
	}

	/** The epochs (1-based) the plot holds for {@code curve} ("3d", "2d" or the validation Dice): for tests. */
	java.util.Set<Integer> plottedEpochs(String curve) {
		return curves.getOrDefault(curve, new TreeMap<>()).keySet();
	}

	/**
	 * Draws the plot in this run's window (the one of an earlier start in the same folder when it is still open), on
	 * the event thread: the training thread does not wait for the plot window, which quitting Fiji may be closing.
	 */
	private void showPlot() {
		Plot plot = plot();
		String runTitle = title;
		EventQueue.invokeLater(() -> {
			if (window == null || !window.isVisible()) window = openWindow(runTitle);
			if (window == null) window = plot.show();
			else window.drawPlot(plot);
		});
	}

	private static PlotWindow openWindow(String title) {
		int[] ids = WindowManager.getIDList();
		if (ids == null) return null;
		for (int id : ids) {
			ImagePlus imp = WindowManager.getImage(id);
			if (imp != null && imp.getWindow() instanceof PlotWindow p && p.isVisible() && title.equals(imp.getTitle())) return p;
		}
		return null;
	}

	/** Whether {@code imp} is a plot (a loss plot among others): dialogs that offer open images leave plots out. */
	static boolean isPlot(ImagePlus imp) {
		return imp != null && imp.getProperty(Plot.PROPERTY_KEY) != null;
	}

	/** Saves the plot next to the run's other files. */
	public void savePlot(Path file) {
		Plot plot = plot();
		if (plot == null) return;
		ImagePlus imp = plot.getImagePlus();
		AtomicFiles.writeVia(file, tmp -> {
			if (!new FileSaver(imp).saveAsPng(tmp.toString())) throw new java.io.IOException("ImageJ could not write " + tmp);
		});
	}

	static String duration(double seconds) {
		if (!Double.isFinite(seconds)) return "unknown time";
		long s = Math.round(seconds);
		if (s < 60) return s + " s";
		if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
		return (s / 3600) + " h " + (s % 3600 / 60) + " min";
	}
}
