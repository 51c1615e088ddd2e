package org.mnseg.fiji;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One field of a Fiji command, declared once for both of its faces: the ImageJ 1.x dialog and macro options
 * ({@link OptionsDialog}) and the SciJava command's inputs ({@link DescriptorCommand}). The {@code key} is the macro key
 * and the SciJava input name; a recorded macro line is {@code key=value ...}.
 *
 * @param key macro key and SciJava name (lower case, one word)
 * @param label what the dialog shows
 * @param description one sentence for the Help page and SciJava's tooltip
 * @param kind what the value is
 * @param defaultValue the value a macro that leaves the key out gets: a String (text, choice, file, folder), an Integer
 *        or a Boolean (flags are always false by default: ImageJ macros switch a flag on by naming it); null for a
 *        choice means its first choice
 * @param choices the choices of a {@link Kind#CHOICE}, read when asked (lists from the core: new methods appear by themselves)
 * @param group the dialog section
 * @param advanced shown behind the dialog's "Advanced settings" button instead of in the main dialog
 * @param remembered the dialog offers the last value used (ImageJ preferences; SciJava's persisted inputs)
 * @param aliases other keys read from macro options, for macro lines recorded by earlier versions
 */
public record CommandParameter(String key, String label, String description, Kind kind, Object defaultValue, Supplier<List<String>> choices, String group,
	boolean advanced, boolean remembered, List<String> aliases) {

	/** The kinds of values; each has one widget in each face. FILE is a file to read, OUTPUT_FILE one to write. */
	public enum Kind {
		TEXT, CHOICE, FILE, OUTPUT_FILE, FOLDER, INTEGER, FLAG
	}

	public CommandParameter {
		Objects.requireNonNull(key);
		if (!key.matches("[a-z][a-z0-9]*")) throw new IllegalArgumentException("a macro key is one lower-case word: " + key);
		if (kind == Kind.FLAG && !Boolean.FALSE.equals(defaultValue)) throw new IllegalArgumentException(key + ": a flag is off by default");
		if (kind == Kind.CHOICE && choices == null) throw new IllegalArgumentException(key + ": a choice needs its choices");
		aliases = List.copyOf(aliases);
	}

	static CommandParameter text(String group, String key, String label, String defaultValue, String description) {
		return new CommandParameter(key, label, description, Kind.TEXT, defaultValue, null, group, false, true, List.of());
	}

	static CommandParameter file(String group, String key, String label, String description) {
		return new CommandParameter(key, label, description, Kind.FILE, "", null, group, false, true, List.of());
	}

	static CommandParameter outputFile(String group, String key, String label, String description) {
		return new CommandParameter(key, label, description, Kind.OUTPUT_FILE, "", null, group, false, true, List.of());
	}

	static CommandParameter folder(String group, String key, String label, String description) {
		return new CommandParameter(key, label, description, Kind.FOLDER, "", null, group, false, true, List.of());
	}

	static CommandParameter choice(String group, String key, String label, Supplier<List<String>> choices, String defaultValue, String description) {
		return new CommandParameter(key, label, description, Kind.CHOICE, defaultValue, choices, group, false, true, List.of());
	}

	static CommandParameter integer(String group, String key, String label, int defaultValue, String description) {
		return new CommandParameter(key, label, description, Kind.INTEGER, defaultValue, null, group, false, true, List.of());
	}

	static CommandParameter flag(String group, String key, String label, String description) {
		return new CommandParameter(key, label, description, Kind.FLAG, false, null, group, false, true, List.of());
	}

	/** The same field behind the "Advanced settings" button. */
	CommandParameter asAdvanced() {
		return new CommandParameter(key, label, description, kind, defaultValue, choices, group, true, remembered, aliases);
	}

	/** The same field, always starting from its default (e.g. Resume: never ticked by surprise). */
	CommandParameter notRemembered() {
		return new CommandParameter(key, label, description, kind, defaultValue, choices, group, advanced, false, aliases);
	}

	/** The same field, also read under {@code oldKeys} from macro options. */
	CommandParameter alias(String... oldKeys) {
		return new CommandParameter(key, label, description, kind, defaultValue, choices, group, advanced, remembered, List.of(oldKeys));
	}

	/** The choices now (empty unless a choice). */
	public List<String> choiceList() {
		return choices == null ? List.of() : choices.get();
	}

	/** The default as the face shows it: a choice without one starts at its first choice. */
	public Object initialValue() {
		if (kind == Kind.CHOICE && defaultValue == null) return choiceList().get(0);
		return defaultValue;
	}
}
