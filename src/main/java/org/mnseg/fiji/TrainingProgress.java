package org.mnseg.fiji;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mnseg.train.RunListener;
import org.mnseg.util.AtomicFiles;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Plot;
import ij.gui.PlotWindow;
import ij.io.FileSaver;

/**
 * Training progress the Fiji way: epoch, loss and time left in the status bar, a progress bar over all steps, and a
 * live {@link Plot} of the loss per epoch (one curve per network) and of the validation Dice when volumes are held
 * out. Headless, or in a batch-mode macro, each epoch is a
 * log line instead. The plot is also saved as {@code loss-plot.png} in the run folder at the end.
 */
public class TrainingProgress implements RunListener {
	private static final Color[] COLORS = { Color.BLUE, Color.RED, new Color(0, 150, 0), Color.MAGENTA };

	private static final String VALIDATION = "validation Dice";
	private final boolean quiet;
	private final Map<String, List<double[]>> losses = new LinkedHashMap<>();
	private PlotWindow window;

	public TrainingProgress() {
		this.quiet = Feedback.quiet();
	}

	@Override
	public void stepFinished(int epoch, int step, int stepsPerEpoch) {
		if (!quiet) IJ.showProgress(step + 1, stepsPerEpoch);
	}

	@Override
	public void epochFinished(EpochReport r) {
		String line = String.format(Locale.ROOT, "M&N Co-Train: %s epoch %d/%d, loss %.4f, %s left", r.model(), r.epoch() + 1, r.epochs(), r.loss(),
			duration(r.secondsLeft()));
		losses.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(new double[] { r.epoch() + 1, r.loss() });
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
		losses.computeIfAbsent(VALIDATION, k -> new ArrayList<>()).add(new double[] { epoch + 1, dice });
		String line = String.format(Locale.ROOT, "M&N Co-Train: validation Dice %.4f after epoch %d", dice, epoch + 1);
		if (quiet) Feedback.log(line);
		else {
			IJ.showStatus(line);
			showPlot();
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
		if (losses.isEmpty()) return null;
		Plot plot = new Plot("M&N Co-Train loss", "epoch", "loss (cross-entropy + Dice); validation Dice");
		int c = 0;
		StringBuilder legend = new StringBuilder();
		for (Map.Entry<String, List<double[]>> e : losses.entrySet()) {
			double[] x = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
			double[] y = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
			plot.setColor(COLORS[c++ % COLORS.length]);
			plot.add(x.length > 1 ? "line" : "circle", x, y);
			legend.append(legend.length() == 0 ? "" : "\n").append(e.getKey().equals(VALIDATION) ? VALIDATION : e.getKey() + " network loss");
		}
		plot.setLimitsToFit(false);
		plot.addLegend(legend.toString());
		return plot;
	}

	private void showPlot() {
		Plot plot = plot();
		if (window == null || !window.isVisible()) window = plot.show();
		else window.drawPlot(plot);
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
