package org.mnseg.fiji;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a command was given, by key, whichever face read them (dialog, macro options, SciJava inputs). Text,
 * choices, files and folders are Strings, integers Integers, flags Booleans.
 */
public final class CommandValues {
	private final CommandDescriptor descriptor;
	private final Map<String, Object> values = new LinkedHashMap<>();

	CommandValues(CommandDescriptor descriptor) {
		this.descriptor = descriptor;
	}

	void put(String key, Object value) {
		descriptor.parameter(key); // a key the command does not have is a bug here
		values.put(key, value);
	}

	/** The value, or the field's default where none was given. */
	public Object get(String key) {
		Object v = values.get(key);
		return v != null ? v : descriptor.parameter(key).initialValue();
	}

	public String text(String key) {
		Object v = get(key);
		return v == null ? "" : v.toString().trim();
	}

	/** A file or folder; null when empty. */
	public Path path(String key) {
		String t = text(key);
		return t.isEmpty() ? null : Paths.get(t);
	}

	public int integer(String key) {
		Object v = get(key);
		return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
	}

	public boolean flag(String key) {
		return Boolean.TRUE.equals(get(key));
	}

	/** Every field's value (defaults filled in), in dialog order. */
	public Map<String, Object> asMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		for (CommandParameter p : descriptor.parameters()) m.put(p.key(), get(p.key()));
		return m;
	}
}
