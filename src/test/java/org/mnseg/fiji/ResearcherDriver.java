package org.mnseg.fiji;

import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.EventQueue;
import java.awt.Frame;
import java.awt.Rectangle;
import java.awt.TextField;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.mnseg.data.LabelVolume;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.io.VolumeIO;
import org.mnseg.train.Checkpoint;
import org.mnseg.train.TrainingLog;
import org.mnseg.workflow.TrainWorkflow;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.PlotWindow;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;

/**
 * A researcher's first M&amp;N run in the real ImageJ GUI, driven as a user would (run in its own JVM on a 1366 x 768
 * virtual screen by {@link ResearcherPathTest}): opens hippocampus volumes with File › Import › Open NIfTI (M&amp;N),
 * draws their labels as ROIs on a few slices of two of them (ROI Manager, "Associate with slices", ROIs named after
 * their class), keeps two more open as unlabeled, fills the Co-Train dialog (ROI Manager, method mn, the tiny test
 * networks in the advanced Options), presses Cancel training during the run, starts again with Resume ticked, and
 * segments an unlabeled image with the model the Segment dialog now offers. Prints what the test checks, one
 * {@code KEY value} line each, and takes the screenshots of docs/fiji.md.
 * <p>
 * Arguments: hippocampusRoot runDir screenshotDir labeledIds unlabeledIds options epochs
 */
public final class ResearcherDriver {
	/** How many slices around the middle of the foreground the researcher annotates per labeled image. */
	static final int ANNOTATED_SLICES = 9;

	private static final long START = System.nanoTime();

	public static void main(String[] args) throws Exception {
		Path data = Paths.get(args[0]), run = Paths.get(args[1]);
		File shots = new File(args[2]);
		shots.mkdirs();
		List<String> labeled = List.of(args[3].split(",")), unlabeled = List.of(args[4].split(","));
		String options = args[5];
		int epochs = Integer.parseInt(args[6]);

		new ij.ImageJ();
		echoLog();
		IJ.getInstance().setLocation(0, 0);
		Dimension screen = Toolkit.getDefaultToolkit().getScreenSize();
		System.out.println("SCREEN " + screen.width + " " + screen.height);

		// open the volumes as a user does in plain ImageJ: File > Import > Open NIfTI (M&N)
		List<ImagePlus> images = new ArrayList<>();
		for (String id : concat(labeled, unlabeled)) {
			IJ.run(NiftiOpenPlugin.COMMAND, "open=[" + data.resolve("imagesTr/" + id + ".nii.gz") + "]");
			images.add(WindowManager.getImage(id + ".nii.gz"));
		}
		System.out.println("OPENED " + images.stream().map(i -> i == null ? "none" : i.getTitle()).toList());

		// draw the labels of a few slices as ROIs, each named after its class, tied to its slice
		RoiManager rm = RoiManager.getRoiManager();
		rm.runCommand("Associate", "true");
		for (int i = 0; i < labeled.size(); i++) draw(images.get(i), VolumeIO.readLabels(data.resolve("labelsTr/" + labeled.get(i) + ".nii.gz")), rm);
		System.out.println("ROIS " + rm.getCount());
		rm.setLocation(screen.width - rm.getWidth(), 0);

		// the Co-Train dialog: it fits the screen; filled for M&N from the ROIs plus the unlabeled images
		IJ.doCommand(CoTrainPlugin.COMMAND);
		GenericDialog cd = waitForDialog(CoTrainPlugin.COMMAND);
		fits("cotrain", cd);
		String labeledTitles = String.join(", ", titles(images.subList(0, labeled.size())));
		String unlabeledTitles = String.join(", ", titles(images.subList(labeled.size(), images.size())));
		EventQueue.invokeAndWait(() -> {
			choice(cd, "labeled").select(CoTrainSettings.ROIS);
			text(cd, "images").setText(labeledTitles);
			text(cd, "unlabeled").setText(unlabeledTitles);
			choice(cd, "method").select("mn");
			text(cd, "output").setText(run.toString());
		});
		// photographed with the recommended model and preset; then the tiny test networks and epochs for this run
		DialogDriver.screenshot(cd, new File(shots, "cotrain-dialog.png"));
		EventQueue.invokeAndWait(() -> {
			choice(cd, "model2d").select("segformer");
			choice(cd, "finetuning").select("whole");
			text(cd, "epochs").setText(Integer.toString(epochs));
		});
		Button advanced = components(cd).stream().filter(c -> c instanceof Button b && OptionsDialog.ADVANCED_BUTTON.equals(b.getLabel()))
			.map(c -> (Button) c).findFirst().orElseThrow();
		// the button opens a modal dialog: click it without waiting for it to close
		EventQueue.invokeLater(() -> Arrays.stream(advanced.getActionListeners())
			.forEach(l -> l.actionPerformed(new ActionEvent(advanced, ActionEvent.ACTION_PERFORMED, advanced.getLabel()))));
		GenericDialog ad = waitForDialog(CoTrainPlugin.COMMAND + ": advanced settings");
		fits("advanced", ad);
		DialogDriver.screenshot(ad, new File(shots, "cotrain-advanced.png"));
		EventQueue.invokeAndWait(() -> ((TextField) field(ad, "options", true)).setText(options));
		DialogDriver.press(ad, 0);
		waitFor(() -> !ad.isShowing(), 10, "the advanced settings to close");
		long trainStart = System.nanoTime();
		DialogDriver.press(cd, 0);

		// training: after the first checkpoint, press Cancel training
		Path checkpoint = run.resolve(Checkpoint.FILE_NAME);
		waitFor(() -> Files.exists(checkpoint) && logged(run, "3d") >= 1, 300, "the first epoch and its checkpoint");
		System.out.println("FIRST_CHECKPOINT_S " + seconds(trainStart) + " cpu " + cpuSeconds());
		Frame cancelWindow = cancelWindow();
		Button cancel = components(cancelWindow).stream().filter(c -> c instanceof Button).map(c -> (Button) c).findFirst().orElseThrow();
		System.out.println("CANCEL_BUTTON " + cancel.getLabel());
		EventQueue.invokeAndWait(() -> Arrays.stream(cancel.getActionListeners())
			.forEach(l -> l.actionPerformed(new ActionEvent(cancel, ActionEvent.ACTION_PERFORMED, cancel.getLabel()))));
		waitFor(() -> IJ.getLog().contains(CoTrainPlugin.COMMAND + " cancelled"), 300, "the run to stop");
		System.out.println("CANCELLED_AFTER_EPOCHS " + logged(run, "3d") + " model " + Files.exists(run.resolve(TrainWorkflow.BUNDLE_FILE))
			+ " checkpoint " + Files.exists(checkpoint));
		System.out.println("TIME_TO_CANCEL_S " + seconds(trainStart) + " cpu " + cpuSeconds());

		// start again with Resume ticked: the dialog remembers the rest
		IJ.doCommand(CoTrainPlugin.COMMAND);
		GenericDialog rd = waitForDialog(CoTrainPlugin.COMMAND);
		System.out.println("REMEMBERED " + choice(rd, "labeled").getSelectedItem() + " | " + choice(rd, "method").getSelectedItem() + " | "
			+ text(rd, "output").getText() + " | resume ticked " + ((Checkbox) field(rd, "resume", false)).getState());
		EventQueue.invokeAndWait(() -> ((Checkbox) field(rd, "resume", false)).setState(true));
		long resumeStart = System.nanoTime();
		DialogDriver.press(rd, 0);
		waitFor(() -> IJ.getLog().toLowerCase(java.util.Locale.ROOT).contains("model saved as") || IJ.getLog().contains(" error: "), 300, "the resumed run to end");
		System.out.println("RESUME_S " + seconds(resumeStart) + " cpu " + cpuSeconds());
		System.out.println("MODEL " + Files.exists(run.resolve(TrainWorkflow.BUNDLE_FILE)));
		System.out.println("EPOCHS_3D " + epochs(run, "3d"));
		System.out.println("EPOCHS_2D " + epochs(run, "2d"));
		// the progress as it ends: status bar and the loss plot
		PlotWindow plot = plotWindow();
		EventQueue.invokeAndWait(() -> {
			plot.setLocation(0, IJ.getInstance().getHeight() + 5);
			plot.toFront();
		});
		Thread.sleep(300);
		DialogDriver.screenshot(new Rectangle(0, 0, Math.max(IJ.getInstance().getWidth(), plot.getWidth()), plot.getY() + plot.getHeight()),
			new File(shots, "cotrain-progress.png"));

		// segment an unlabeled image with the model the Segment dialog now offers
		ImagePlus target = images.get(labeled.size());
		IJ.selectWindow(target.getID());
		IJ.doCommand(SegmentPlugin.COMMAND);
		GenericDialog sd = waitForDialog(SegmentPlugin.COMMAND);
		fits("segment", sd);
		System.out.println("MODEL_OFFERED " + text(sd, SegmentSettings.DESCRIPTOR, "model", false).getText());
		EventQueue.invokeAndWait(() -> {
			((Choice) field(sd, SegmentSettings.DESCRIPTOR, "input", false)).select(SegmentSettings.CURRENT_IMAGE);
			((Checkbox) field(sd, SegmentSettings.DESCRIPTOR, "probability", false)).setState(false);
			((Checkbox) field(sd, SegmentSettings.DESCRIPTOR, "rois", false)).setState(false);
			((Checkbox) field(sd, SegmentSettings.DESCRIPTOR, "overlay", false)).setState(true);
		});
		long segmentStart = System.nanoTime();
		DialogDriver.press(sd, 0);
		String title = LabelImages.baseTitle(target.getTitle()) + LabelImages.LABELS_SUFFIX;
		waitFor(() -> WindowManager.getImage(title) != null && WindowManager.getImage(title).getWindow() != null, 300, "the label image");
		System.out.println("SEGMENT_S " + seconds(segmentStart) + " cpu " + cpuSeconds());
		ImagePlus result = WindowManager.getImage(title);
		LabelVolume labels = ImagePlusConverter.toLabels(result);
		long foreground = 0;
		for (byte b : labels.data()) foreground += b != 0 ? 1 : 0;
		System.out.println("LABELS " + result.getTitle() + " " + result.getWidth() + "x" + result.getHeight() + "x" + result.getNSlices() + " source "
			+ target.getWidth() + "x" + target.getHeight() + "x" + target.getNSlices() + " foreground " + foreground + " overlay "
			+ (target.getOverlay() == null ? 0 : target.getOverlay().size()));
		// side by side: the image with the labels over it, and the label image
		target.setSlice(result.getCurrentSlice());
		EventQueue.invokeAndWait(() -> {
			target.getWindow().setLocation(0, IJ.getInstance().getHeight() + 5);
			result.getWindow().setLocation(target.getWindow().getWidth() + 5, IJ.getInstance().getHeight() + 5);
		});
		Thread.sleep(500);
		Window a = target.getWindow(), b = result.getWindow();
		DialogDriver.screenshot(new Rectangle(0, a.getY(), b.getX() + b.getWidth(), Math.max(a.getHeight(), b.getHeight())),
			new File(shots, "segment-result.png"));
		System.out.println("TOTAL_S " + seconds(START) + " cpu " + cpuSeconds());
		Thread.sleep(300); // the last log lines echoed
		System.out.println("DRIVER DONE");
		System.exit(0);
	}

	/** Echoes each new line of ImageJ's Log with the seconds since start, so that the test's output shows every phase. */
	private static void echoLog() {
		Thread t = new Thread(() -> {
			int seen = 0;
			while (true) {
				String log = IJ.getLog();
				if (log != null && log.length() > seen) {
					for (String line : log.substring(seen).split("\n"))
						if (!line.isBlank()) System.out.println("LOG +" + seconds(START) + "s " + line);
					seen = log.length();
				}
				try {
					Thread.sleep(250);
				} catch (InterruptedException e) {
					return;
				}
			}
		}, "log echo");
		t.setDaemon(true);
		t.start();
	}

	/**
	 * Draws the labels of {@link #ANNOTATED_SLICES} slices around the middle of the foreground as ROIs, one per class
	 * and slice, each added on its slice and renamed after its class ("1 anterior"), as a researcher annotates.
	 */
	private static void draw(ImagePlus image, LabelVolume labels, RoiManager rm) throws Exception {
		List<String> names = List.of("background", "anterior", "posterior");
		int middle = LabelImages.middleForegroundSlice(labels);
		for (Roi traced : ClassRois.toRois(labels, names)) {
			int z = traced.getPosition();
			if (Math.abs(z - middle) > ANNOTATED_SLICES / 2) continue;
			int k = names.indexOf(traced.getName().replaceFirst("\\s+z\\d+$", ""));
			Roi roi = (Roi) traced.clone();
			// as drawn by hand: no name, group or slice yet (toRois sets all three)
			roi.setName(null);
			roi.setGroup(0);
			roi.setPosition(0);
			EventQueue.invokeAndWait(() -> {
				image.setSlice(z);
				image.setRoi(roi);
				rm.runCommand(image, "Add");
				rm.rename(rm.getCount() - 1, k + " " + names.get(k));
			});
		}
		image.deleteRoi();
	}

	private static List<String> titles(List<ImagePlus> images) {
		return images.stream().map(ImagePlus::getTitle).toList();
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	/** Prints a dialog's bounds and its OK button's on the screen, for the test to check that both are on it. */
	private static void fits(String name, GenericDialog gd) {
		Rectangle d = new Rectangle(gd.getLocationOnScreen(), gd.getSize());
		Button ok = gd.getButtons()[0];
		Rectangle b = new Rectangle(ok.getLocationOnScreen(), ok.getSize());
		System.out.println("FIT " + name + " dialog " + d.x + " " + d.y + " " + d.width + " " + d.height + " ok " + b.x + " " + b.y + " " + b.width + " "
			+ b.height + " " + ok.isShowing() + " " + ok.getLabel());
	}

	/** Rows log.csv holds for {@code model}. */
	private static int logged(Path run, String model) {
		return epochs(run, model).size();
	}

	/** The epochs (0-based) log.csv holds for {@code model}, in the order written. */
	private static List<Integer> epochs(Path run, String model) {
		Path csv = run.resolve(TrainingLog.FILE_NAME);
		try {
			if (!Files.exists(csv)) return List.of();
			return Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",")).filter(f -> f.length > 1 && f[0].equals(model))
				.map(f -> Integer.parseInt(f[1])).toList();
		} catch (Exception e) {
			return List.of(); // being written
		}
	}

	private static Frame cancelWindow() throws InterruptedException {
		waitFor(() -> findCancelWindow() != null, 30, "the Cancel training window");
		return findCancelWindow();
	}

	private static Frame findCancelWindow() {
		for (Window w : Window.getWindows())
			if (w instanceof Frame f && w.isShowing() && CoTrainPlugin.COMMAND.equals(f.getTitle())
				&& components(f).stream().anyMatch(c -> c instanceof Button)) return f;
		return null;
	}

	private static PlotWindow plotWindow() throws InterruptedException {
		waitFor(() -> Arrays.stream(Window.getWindows()).anyMatch(w -> w instanceof PlotWindow && w.isShowing()), 30, "the loss plot");
		// the newest: the plot of the run that ended (a run before Resume may have left its own)
		return (PlotWindow) Arrays.stream(Window.getWindows()).filter(w -> w instanceof PlotWindow && w.isShowing()).reduce((a, b) -> b).orElseThrow();
	}

	/** CPU seconds this JVM has used: on a shared machine a better measure of the work than the wall time. */
	private static double cpuSeconds() {
		return Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime() / 1e8) / 10.0;
	}

	private static double seconds(long since) {
		return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
	}

	private static void waitFor(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
		for (int i = 0; i < seconds * 20; i++) {
			if (condition.getAsBoolean()) return;
			Thread.sleep(50);
		}
		System.out.println("TIMEOUT waiting for " + what);
		System.exit(3);
	}

	private static GenericDialog waitForDialog(String title) throws InterruptedException {
		return DialogDriver.waitForDialog(title);
	}

	/** The Co-Train dialog's field for {@code key}. */
	private static Component field(GenericDialog gd, String key, boolean advancedDialog) {
		return field(gd, CoTrainSettings.DESCRIPTOR, key, advancedDialog);
	}

	private static Choice choice(GenericDialog gd, String key) {
		return (Choice) field(gd, key, false);
	}

	private static TextField text(GenericDialog gd, String key) {
		return text(gd, CoTrainSettings.DESCRIPTOR, key, false);
	}

	private static TextField text(GenericDialog gd, CommandDescriptor d, String key, boolean advancedDialog) {
		return (TextField) field(gd, d, key, advancedDialog);
	}

	/**
	 * The component {@link OptionsDialog} made for {@code key}: GenericDialog keeps its fields per kind in the order
	 * added, which is the descriptor's order by section (main dialog) or of the advanced fields.
	 */
	static Component field(GenericDialog gd, CommandDescriptor d, String key, boolean advancedDialog) {
		List<CommandParameter> shown = advancedDialog ? d.parameters().stream().filter(CommandParameter::advanced).toList()
			: d.groups().stream().flatMap(g -> d.in(g, false).stream()).toList();
		CommandParameter p = d.parameter(key);
		if (!shown.contains(p)) throw new IllegalArgumentException(key + " is not in this dialog");
		int index = (int) shown.stream().limit(shown.indexOf(p)).filter(q -> slot(q) == slot(p)).count();
		return (Component) switch (slot(p)) {
			case 0 -> gd.getStringFields().get(index);
			case 1 -> gd.getChoices().get(index);
			case 2 -> gd.getNumericFields().get(index);
			default -> gd.getCheckboxes().get(index);
		};
	}

	/** Which of GenericDialog's lists holds a field of this kind. */
	private static int slot(CommandParameter p) {
		return switch (p.kind()) {
			case TEXT, FILE, OUTPUT_FILE, FOLDER -> 0;
			case CHOICE -> 1;
			case INTEGER -> 2;
			case FLAG -> 3;
		};
	}

	private static List<Component> components(Component c) {
		List<Component> all = new ArrayList<>(List.of(c));
		if (c instanceof Container k)
			for (Component child : k.getComponents()) all.addAll(components(child));
		return all;
	}
}
