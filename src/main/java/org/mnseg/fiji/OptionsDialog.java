package org.mnseg.fiji;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.mnseg.util.UserError;

import ij.Macro;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;

/**
 * The ImageJ 1.x face of a {@link CommandDescriptor}: a {@link GenericDialog} in sections, advanced fields behind a
 * button, or the macro options when a macro passes them (with or without a display).
 * <p>
 * Macro keys are the descriptor's keys, not the first word of each label as GenericDialog would make them, so the
 * dialog reads macro options itself and records its line itself: {@code run("Title", "key=value ...")} means the same
 * to this plugin and to the SciJava command of the same name. Keys a macro leaves out take the built-in defaults, not
 * the values last used in the dialog, so a line means the same thing every time.
 */
final class OptionsDialog {
	private static final Font SECTION_FONT = new Font("SansSerif", Font.BOLD, 13);
	static final String ADVANCED_BUTTON = "Advanced settings...";

	private final CommandDescriptor descriptor;
	private final DialogMemory memory;
	private final Map<String, String> notes;
	private GenericDialog dialog;

	/**
	 * @param notes text added to a section's title (e.g. the open images), by section
	 */
	OptionsDialog(CommandDescriptor descriptor, DialogMemory memory, Map<String, String> notes) {
		this.descriptor = descriptor;
		this.memory = memory;
		this.notes = notes;
	}

	/** The values from the macro options when a macro passes them, else from the dialog; null when cancelled. */
	CommandValues ask() {
		String options = Macro.getOptions();
		if (options != null) return fromOptions(descriptor, options);
		if (GraphicsEnvironment.isHeadless())
			throw new UserError(descriptor.title() + " needs its options when ImageJ runs headless, e.g. run(\"" + descriptor.title()
				+ "\", \"key=value ...\"). See docs/fiji.md for the keys, or record the command once with the macro recorder.");
		return fromDialog();
	}

	/** The main dialog of the last {@link #ask()} (null before it or without a display), for screenshots and tests. */
	GenericDialog dialog() {
		return dialog;
	}

	/** Reads every field from a macro's options, by key (or an older alias); fields left out take their defaults. */
	static CommandValues fromOptions(CommandDescriptor descriptor, String options) {
		CommandValues v = new CommandValues(descriptor);
		for (CommandParameter p : descriptor.parameters()) {
			List<String> keys = new ArrayList<>(p.aliases());
			keys.add(0, p.key());
			if (p.kind() == CommandParameter.Kind.FLAG) {
				// as in GenericDialog: a checkbox is on when its key appears in the options
				v.put(p.key(), keys.stream().anyMatch(k -> (" " + options + " ").matches("(?s).*[ ]" + Pattern.quote(k) + "[ =].*")));
				continue;
			}
			String text = null;
			for (String k : keys)
				if (text == null) text = Macro.getValue(options, k, null);
			if (text == null) continue;
			if (p.kind() == CommandParameter.Kind.INTEGER) v.put(p.key(), parseInteger(p, text));
			else v.put(p.key(), text.trim());
		}
		return v;
	}

	private static int parseInteger(CommandParameter p, String text) {
		try {
			double d = Double.parseDouble(text.trim());
			if (d != Math.rint(d)) throw new NumberFormatException();
			return (int) d;
		} catch (NumberFormatException e) {
			throw new UserError("'" + p.label() + "' (" + p.key() + "=" + text + ") needs a whole number.");
		}
	}

	private CommandValues fromDialog() {
		GenericDialog gd = new GenericDialog(descriptor.title());
		dialog = gd;
		Map<String, Object> advanced = new LinkedHashMap<>();
		List<CommandParameter> shown = new ArrayList<>();
		for (String group : descriptor.groups()) {
			List<CommandParameter> fields = descriptor.in(group, false);
			if (fields.isEmpty()) continue;
			String note = notes.get(group);
			gd.setInsets(shown.isEmpty() ? 5 : 12, 0, 2);
			gd.addMessage(group + (note == null ? "" : "  (" + note + ")"), SECTION_FONT);
			for (CommandParameter p : fields) {
				add(gd, p, memory.get(p));
				shown.add(p);
			}
		}
		for (CommandParameter p : descriptor.parameters())
			if (p.advanced()) advanced.put(p.key(), memory.get(p));
		if (!advanced.isEmpty()) gd.addButton(ADVANCED_BUTTON, e -> editAdvanced(advanced));
		gd.addHelp(descriptor.helpHtml());
		gd.showDialog();
		if (gd.wasCanceled()) return null;

		CommandValues v = new CommandValues(descriptor);
		for (CommandParameter p : shown) v.put(p.key(), next(gd, p));
		advanced.forEach(v::put);
		for (CommandParameter p : descriptor.parameters())
			if (p.remembered()) memory.set(p, v.get(p.key()));
		record(v);
		return v;
	}

	/** The advanced fields in a dialog of their own; OK keeps what was changed there. */
	private void editAdvanced(Map<String, Object> values) {
		GenericDialog gd = new GenericDialog(descriptor.title() + ": advanced settings");
		List<CommandParameter> fields = descriptor.parameters().stream().filter(CommandParameter::advanced).toList();
		for (CommandParameter p : fields) add(gd, p, values.get(p.key()));
		gd.addHelp(descriptor.helpHtml());
		gd.showDialog();
		if (gd.wasCanceled()) return;
		try {
			for (CommandParameter p : fields) values.put(p.key(), next(gd, p));
		} catch (UserError e) {
			Feedback.error(descriptor.title(), e.getMessage());
		}
	}

	private static void add(GenericDialog gd, CommandParameter p, Object value) {
		switch (p.kind()) {
			case TEXT -> gd.addStringField(p.label(), String.valueOf(value), 30);
			// GenericDialog has no save-file field: its Browse picks an existing file, and a new name is typed in
			case FILE, OUTPUT_FILE -> gd.addFileField(p.label(), String.valueOf(value), 30);
			case FOLDER -> gd.addDirectoryField(p.label(), String.valueOf(value), 30);
			case CHOICE -> gd.addChoice(p.label(), p.choiceList().toArray(new String[0]), String.valueOf(value));
			case INTEGER -> gd.addNumericField(p.label(), ((Number) value).doubleValue(), 0);
			case FLAG -> gd.addCheckbox(p.label(), Boolean.TRUE.equals(value));
		}
	}

	/** The next field's value; fields are read back in the order they were added, as GenericDialog requires. */
	private static Object next(GenericDialog gd, CommandParameter p) {
		return switch (p.kind()) {
			case TEXT, FILE, OUTPUT_FILE, FOLDER -> gd.getNextString().trim();
			case CHOICE -> gd.getNextChoice();
			case INTEGER -> {
				double d = gd.getNextNumber();
				if (gd.invalidNumber() || d != Math.rint(d)) throw new UserError("'" + p.label() + "' needs a whole number.");
				yield (int) d;
			}
			case FLAG -> gd.getNextBoolean();
		};
	}

	/**
	 * Replaces what GenericDialog recorded (keys from labels) by the descriptor's keys; empty text that is also the
	 * default and flags that are off are left out, as a macro that leaves them out gets the same.
	 */
	private void record(CommandValues v) {
		if (!Recorder.record) return;
		Recorder.resetCommandOptions();
		for (CommandParameter p : descriptor.parameters()) {
			Object value = v.get(p.key());
			if (p.kind() == CommandParameter.Kind.FLAG) {
				if (Boolean.TRUE.equals(value)) Recorder.recordOption(p.key());
				continue;
			}
			String text = String.valueOf(value);
			if (text.isEmpty() && "".equals(p.defaultValue())) continue;
			Recorder.recordOption(p.key(), text);
		}
	}
}
