package org.mnseg.fiji;

import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;

import org.mnseg.util.UserError;

import ij.Macro;
import ij.gui.GenericDialog;

/**
 * A {@link GenericDialog} that also works in a headless JVM. With a display it is a GenericDialog, so values come from
 * the window or, when a macro passes options, from those options, and the macro recorder records every field. Without
 * a display (where ImageJ 1.x cannot build a dialog) the same fields are read from the macro options by the same keys:
 * a field's key is the first word of its label in lower case, as ImageJ makes it.
 * <p>
 * Fields are added and read back in order, like GenericDialog's {@code getNext...} methods.
 */
final class OptionsDialog {
	private static final Font HELP_FONT = new Font("SansSerif", Font.PLAIN, 11);
	private static final Color HELP_COLOR = new Color(90, 90, 90);

	private final GenericDialog gd;
	private final String options;
	private final List<String> keys = new ArrayList<>();
	private final List<Object> defaults = new ArrayList<>();
	private int next;

	OptionsDialog(String title) {
		options = Macro.getOptions();
		if (GraphicsEnvironment.isHeadless()) {
			if (options == null)
				throw new UserError(title + " needs its options when ImageJ runs headless, e.g. run(\"" + title + "\", \"key=value ...\"). "
					+ "See docs/fiji.md for the keys, or record the command once with the macro recorder.");
			gd = null;
		}
		else gd = new GenericDialog(title);
	}

	void addFile(String label, String value, String help) {
		if (gd != null) gd.addFileField(label, value, 40);
		remember(label, value, help);
	}

	void addDirectory(String label, String value, String help) {
		if (gd != null) gd.addDirectoryField(label, value, 40);
		remember(label, value, help);
	}

	void addString(String label, String value, String help) {
		if (gd != null) gd.addStringField(label, value, 40);
		remember(label, value, help);
	}

	void addChoice(String label, List<String> items, String value, String help) {
		if (gd != null) gd.addChoice(label, items.toArray(new String[0]), value);
		remember(label, value, help);
	}

	void addNumber(String label, double value, String help) {
		if (gd != null) gd.addNumericField(label, value, 0);
		remember(label, value, help);
	}

	void addCheckbox(String label, boolean value, String help) {
		if (gd != null) gd.addCheckbox(label, value);
		remember(label, value, help);
	}

	/** A paragraph of text (section titles, hints). */
	void addMessage(String text) {
		if (gd != null) gd.addMessage(text);
	}

	/** The dialog's Help button: a page of HTML. */
	void setHelp(String html) {
		if (gd != null) gd.addHelp(html);
	}

	private void remember(String label, Object value, String help) {
		keys.add(Macro.trimKey(label));
		defaults.add(value);
		if (gd != null && help != null) gd.addMessage(help, HELP_FONT, HELP_COLOR);
	}

	/** Shows the dialog (or reads the macro options); false when the user pressed Cancel. */
	boolean show() {
		if (gd == null) return true;
		gd.showDialog();
		return !gd.wasCanceled();
	}

	/** The window, for screenshots; null when headless. */
	GenericDialog dialog() {
		return gd;
	}

	String nextString() {
		int i = next++;
		if (gd != null) return gd.getNextString().trim();
		return Macro.getValue(options, keys.get(i), String.valueOf(defaults.get(i))).trim();
	}

	String nextChoice() {
		int i = next++;
		if (gd != null) return gd.getNextChoice();
		return Macro.getValue(options, keys.get(i), String.valueOf(defaults.get(i))).trim();
	}

	double nextNumber() {
		int i = next++;
		if (gd != null) {
			double v = gd.getNextNumber();
			if (gd.invalidNumber()) throw new UserError("The field '" + keys.get(i) + "' needs a number.");
			return v;
		}
		String v = Macro.getValue(options, keys.get(i), String.valueOf(defaults.get(i)));
		try {
			return Double.parseDouble(v.trim());
		} catch (NumberFormatException e) {
			throw new UserError("Option " + keys.get(i) + "=" + v + " is not a number.");
		}
	}

	boolean nextBoolean() {
		int i = next++;
		if (gd != null) return gd.getNextBoolean();
		// as in GenericDialog: a checkbox is on when its key appears in the options
		return (" " + options + " ").matches("(?s).*[ ]" + java.util.regex.Pattern.quote(keys.get(i)) + "[ =].*");
	}
}
