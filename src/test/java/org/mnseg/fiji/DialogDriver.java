package org.mnseg.fiji;

import java.awt.Button;
import java.awt.Component;
import java.awt.Container;
import java.awt.Label;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.EventQueue;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;

/**
 * Drives the real dialogs on a (virtual) display, as a user would: opens an image, starts "M&amp;N Segment" from
 * ImageJ's command table with the macro recorder on, fills the dialog's fields, takes a screenshot, presses OK,
 * reads the line the recorder wrote, replays it with the image selected again, and prints whether both label images
 * are equal. Also measures the "M&amp;N Co-Train" dialog and opens its advanced settings (photographed, filled for an M&amp;N run, by {@link ResearcherDriver}). Run in its own JVM by {@link RecordedMacroTest}.
 * <p>
 * Arguments: image model screenshotDir
 */
public final class DialogDriver {
	public static void main(String[] args) throws Exception {
		String image = args[0], model = args[1];
		File shots = new File(args[2]);
		shots.mkdirs();
		new ij.ImageJ(ij.ImageJ.NO_SHOW);
		new Recorder(false);
		Recorder.record = true;
		ImagePlus imp = IJ.openImage(image);
		imp.show();
		// out of the dialogs' way: without a window manager, toFront does not raise a dialog over it for the screenshots
		imp.getWindow().setLocation(900, 700);

		// as a menu click: ImageJ runs the command on its own thread and records it
		IJ.doCommand("M&N Segment");
		GenericDialog gd = waitForDialog("M&N Segment");
		EventQueue.invokeAndWait(() -> {
			((TextField) gd.getStringFields().get(0)).setText(model);
			((Choice) gd.getChoices().get(0)).select(SegmentSettings.CURRENT_IMAGE);
			((TextField) gd.getStringFields().get(1)).setText("");
			((TextField) gd.getStringFields().get(2)).setText("");
			((Checkbox) gd.getCheckboxes().get(0)).setState(true);
			((Checkbox) gd.getCheckboxes().get(1)).setState(false);
		});
		screenshot(gd, new File(shots, "segment-dialog.png"));
		press(gd, 0);
		String title = imp.getShortTitle() + LabelImages.LABELS_SUFFIX;
		for (int i = 0; i < 1200 && WindowManager.getImage(title) == null; i++) Thread.sleep(100);
		// the recorder writes the line when the command returns (after the result window was zoomed)
		String recorded = "none";
		for (int i = 0; i < 1200 && recorded.equals("none"); i++) {
			Thread.sleep(100);
			recorded = Arrays.stream(Recorder.getInstance().getText().split("\n")).filter(l -> l.startsWith("run(\"M&N Segment\"")).findFirst()
				.orElse("none");
		}
		System.out.println("RECORDED " + recorded);
		if (recorded.equals("none")) {
			System.out.println("recorder text: " + Recorder.getInstance().getText());
			System.exit(1);
		}
		ImagePlus first = WindowManager.getImage(imp.getShortTitle() + LabelImages.LABELS_SUFFIX);
		System.out.println("FIRST " + (first == null ? "none" : first.getTitle()));
		if (first != null) System.out.println("LABELS_VIEW slice " + first.getCurrentSlice() + " of " + first.getNSlices() + " expected "
			+ LabelImages.middleForegroundSlice(org.mnseg.imagej.ImagePlusConverter.toLabels(first)) + " zoom " + first.getCanvas().getMagnification()
			+ " source zoom " + imp.getCanvas().getMagnification());
		byte[] a = labels(first);
		first.close();

		// replay the recorded line with the same image selected, as a macro does
		Recorder.record = false;
		IJ.selectWindow(imp.getID());
		IJ.runMacro(recorded);
		ImagePlus second = WindowManager.getImage(imp.getShortTitle() + LabelImages.LABELS_SUFFIX);
		System.out.println("REPLAY_EQUAL " + (second != null && Arrays.equals(a, labels(second))));
		second.close();

		// Suggest Annotations from its menu entry on the open image: photographed, recorded, replayed to the same heat map
		Recorder.record = true;
		IJ.selectWindow(imp.getID());
		// Segment's probability maps (its run and the replay) would open over where the dialog opens: closed first
		for (int id : WindowManager.getIDList())
			if (id != imp.getID()) WindowManager.getImage(id).close();
		IJ.doCommand(SuggestSettings.DESCRIPTOR.title());
		GenericDialog sd = waitForDialog(SuggestSettings.DESCRIPTOR.title());
		EventQueue.invokeAndWait(() -> {
			((TextField) sd.getStringFields().get(0)).setText(model);
			((Choice) sd.getChoices().get(0)).select(SuggestSettings.OPEN_IMAGES);
			((TextField) sd.getStringFields().get(1)).setText(imp.getTitle());
			((TextField) sd.getNumericFields().get(0)).setText("3");
		});
		screenshot(sd, new File(shots, "suggest-dialog.png"));
		press(sd, 0);
		String heatTitle = SuggestRunner.heatmapTitle(imp.getTitle());
		for (int i = 0; i < 1200 && WindowManager.getImage(heatTitle) == null; i++) Thread.sleep(100);
		String suggestLine = "none";
		for (int i = 0; i < 1200 && suggestLine.equals("none"); i++) {
			Thread.sleep(100);
			suggestLine = Arrays.stream(Recorder.getInstance().getText().split("\n")).filter(l -> l.startsWith("run(\"" + SuggestSettings.DESCRIPTOR.title()))
				.findFirst().orElse("none");
		}
		System.out.println("SUGGEST_RECORDED " + suggestLine);
		ImagePlus heat = WindowManager.getImage(heatTitle);
		ij.plugin.frame.RoiManager rm = ij.plugin.frame.RoiManager.getInstance();
		System.out.println("SUGGEST_ROIS " + (rm == null ? 0 : rm.getCount()));
		float[] heatPixels = heat == null ? null : (float[]) heat.getStack().getProcessor(1).getPixels();
		float[] before = heatPixels == null ? null : heatPixels.clone();
		if (heat != null) heat.close();
		Recorder.record = false;
		IJ.selectWindow(imp.getID());
		IJ.runMacro(suggestLine);
		ImagePlus heatAgain = WindowManager.getImage(heatTitle);
		System.out.println("SUGGEST_REPLAY_EQUAL " + (heatAgain != null && before != null
			&& Arrays.equals(before, (float[]) heatAgain.getStack().getProcessor(1).getPixels())));
		if (heatAgain != null) heatAgain.close();

		// the Co-Train dialog: its height on a laptop screen, its labels, its advanced settings; photographed and cancelled
		IJ.doCommand("M&N Co-Train");
		GenericDialog cd = waitForDialog("M&N Co-Train");
		System.out.println("COTRAIN_HEIGHT " + cd.getHeight() + " PREFERRED " + cd.getPreferredSize().height + " WIDTH " + cd.getWidth());
		List<String> shown = labels(cd);
		List<String> expected = CoTrainSettings.DESCRIPTOR.parameters().stream().filter(p -> !p.advanced()).map(CommandParameter::label).toList();
		System.out.println("MAIN_LABELS " + shown.containsAll(expected) + " " + shown);
		Button advanced = Arrays.stream(cd.getComponents()).flatMap(c -> components(c).stream()).filter(c -> c instanceof Button b
			&& OptionsDialog.ADVANCED_BUTTON.equals(b.getLabel())).map(c -> (Button) c).findFirst().orElseThrow();
		// the button opens a modal dialog: click it without waiting for it to close
		EventQueue.invokeLater(() -> Arrays.stream(advanced.getActionListeners())
			.forEach(l -> l.actionPerformed(new ActionEvent(advanced, ActionEvent.ACTION_PERFORMED, advanced.getLabel()))));
		GenericDialog ad = waitForDialog("M&N Co-Train: advanced settings");
		List<String> advancedExpected = CoTrainSettings.DESCRIPTOR.parameters().stream().filter(CommandParameter::advanced).map(CommandParameter::label)
			.toList();
		System.out.println("ADVANCED_LABELS " + labels(ad).containsAll(advancedExpected) + " " + labels(ad));
		press(ad, 1);
		for (int i = 0; i < 50 && ad.isShowing(); i++) Thread.sleep(100);
		press(cd, 1);
		System.out.println("DRIVER DONE");
		System.exit(0);
	}

	/** The texts of a dialog's labels and checkboxes. */
	private static List<String> labels(Container c) {
		return components(c).stream().filter(x -> x instanceof Label || x instanceof Checkbox)
			.map(x -> (x instanceof Label l ? l.getText() : ((Checkbox) x).getLabel()).trim()).toList();
	}

	private static List<Component> components(Component c) {
		List<Component> all = new ArrayList<>(List.of(c));
		if (c instanceof Container k)
			for (Component child : k.getComponents()) all.addAll(components(child));
		return all;
	}

	private static byte[] labels(ImagePlus imp) {
		return org.mnseg.imagej.ImagePlusConverter.toLabels(imp).data();
	}

	static GenericDialog waitForDialog(String title) throws InterruptedException {
		for (int i = 0; i < 600; i++) {
			for (Window w : Window.getWindows())
				if (w instanceof GenericDialog gd && w.isShowing() && title.equals(gd.getTitle())) {
					Thread.sleep(500); // let it paint
					return gd;
				}
			Thread.sleep(100);
		}
		throw new IllegalStateException("no dialog " + title);
	}

	static void screenshot(Window w, File file) throws Exception {
		// without a window manager a dialog may stay unpainted (the capture is the screen's black): raise and repaint it
		// between captures
		BufferedImage img = capture(() -> new Rectangle(w.getLocationOnScreen(), w.getSize()), 50, () -> {
			w.toFront();
			w.repaint();
		});
		if (colours(img) < 8) {
			// still the screen's black (another window above it on a shared display): let the dialog paint itself
			BufferedImage painted = new BufferedImage(w.getWidth(), w.getHeight(), BufferedImage.TYPE_INT_RGB);
			EventQueue.invokeAndWait(() -> {
				java.awt.Graphics2D g = painted.createGraphics();
				w.printAll(g);
				g.dispose();
			});
			img = painted;
			System.out.println("SHOT painted by the dialog itself");
		}
		System.out.println("SHOT " + file.getName() + " " + w.getBounds());
		ImageIO.write(img, "png", file);
	}

	/** A capture of part of the screen. */
	static void screenshot(Rectangle r, File file) throws Exception {
		System.out.println("SHOT " + file.getName() + " " + r);
		ImageIO.write(capture(() -> r, 25, () -> {}), "png", file);
	}

	/**
	 * Captures {@code area} every 0.4 s, after {@code beforeEach} on the event thread, until it shows more than a blank
	 * fill or {@code tries} are spent: a loaded machine paints late.
	 */
	private static BufferedImage capture(java.util.function.Supplier<Rectangle> area, int tries, Runnable beforeEach) throws Exception {
		BufferedImage img = null;
		for (int i = 0; i < tries && (img == null || colours(img) < 8); i++) {
			EventQueue.invokeAndWait(beforeEach);
			Thread.sleep(400);
			img = new Robot().createScreenCapture(area.get());
		}
		return img;
	}

	/** Distinct colours in a capture, up to 8. */
	private static int colours(BufferedImage img) {
		java.util.Set<Integer> seen = new java.util.HashSet<>();
		for (int y = 0; y < img.getHeight() && seen.size() < 8; y += 3)
			for (int x = 0; x < img.getWidth() && seen.size() < 8; x += 3) seen.add(img.getRGB(x, y));
		return seen.size();
	}

	/** Presses OK (0) or Cancel (1) as a click would. */
	static void press(GenericDialog gd, int which) throws Exception {
		Button b = gd.getButtons()[which];
		EventQueue.invokeAndWait(() -> gd.actionPerformed(new ActionEvent(b, ActionEvent.ACTION_PERFORMED, b.getLabel())));
	}
}
