package org.mnseg.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mnseg.util.OptionParser;
import org.mnseg.util.UserError;

/**
 * Command-line options of the form {@code --name value} and {@code --flag}. Each command declares its flags; every
 * option must be consumed, so a mistyped option is reported instead of ignored.
 */
final class Args {
	private final String command;
	private final Map<String, String> values = new LinkedHashMap<>();
	private final Set<String> used = new LinkedHashSet<>();

	Args(String command, List<String> argv, Set<String> flags) {
		this.command = command;
		values.putAll(OptionParser.parse(argv, flags, false, (problem, what) -> "mn " + command + ": " + switch (problem) {
			case NOT_AN_OPTION -> "unexpected argument '" + what + "'. Options look like --name value; see mn " + command + " --help.";
			case MISSING_VALUE -> "option --" + what + " needs a value.";
			case GIVEN_TWICE -> "option --" + what + " was given twice.";
		}));
	}

	boolean has(String name) {
		return values.containsKey(name);
	}

	String get(String name, String fallback) {
		used.add(name);
		return values.getOrDefault(name, fallback);
	}

	String require(String name, String what) {
		used.add(name);
		String v = values.get(name);
		if (v == null) throw new UserError("mn " + command + ": --" + name + " is required (" + what + ").");
		return v;
	}

	Path path(String name, String what) {
		return Paths.get(require(name, what));
	}

	boolean flag(String name) {
		used.add(name);
		String v = values.get(name);
		return v != null && !v.equalsIgnoreCase("false");
	}

	int integer(String name, int fallback) {
		String v = get(name, null);
		if (v == null) return fallback;
		try {
			return Integer.parseInt(v.trim());
		} catch (NumberFormatException e) {
			throw new UserError("mn " + command + ": --" + name + " expects a whole number, got '" + v + "'.");
		}
	}

	double number(String name, double fallback) {
		String v = get(name, null);
		if (v == null) return fallback;
		try {
			return Double.parseDouble(v.trim());
		} catch (NumberFormatException e) {
			throw new UserError("mn " + command + ": --" + name + " expects a number, got '" + v + "'.");
		}
	}

	/** Options not consumed yet (name to value), and marks them consumed. */
	Map<String, String> remaining() {
		Map<String, String> rest = new LinkedHashMap<>();
		values.forEach((k, v) -> {
			if (!used.contains(k)) rest.put(k, v);
		});
		used.addAll(rest.keySet());
		return rest;
	}

	/** Fails on options nobody asked for. */
	void checkAllUsed() {
		for (String k : values.keySet())
			if (!used.contains(k)) throw new UserError("mn " + command + ": unknown option --" + k + ". See mn " + command + " --help.");
	}
}
