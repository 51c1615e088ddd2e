package org.mnseg.util;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one parser of option words, for the command line ({@code --name value}, {@code --name=value}, {@code --flag})
 * and for Fiji's Options field, which also takes {@code name=value}. Option names are checked by the caller; each
 * caller words its own messages (the command line names {@code --help}, Fiji names its field).
 */
public final class OptionParser {
	/** What can be wrong with the words. */
	public enum Problem {
		/** a word that is no option (the word is given) */
		NOT_AN_OPTION,
		/** an option at the end without its value (the option's name is given) */
		MISSING_VALUE,
		/** an option given twice (its name is given) */
		GIVEN_TWICE
	}

	/** Turns a problem and the word or name it concerns into the user's message. */
	public interface Messages {
		String of(Problem problem, String what);
	}

	private OptionParser() {}

	/**
	 * Option names to values, in the order given.
	 *
	 * @param flags names that take no value (their value is "true")
	 * @param bare also accept {@code name=value} without the leading dashes
	 */
	public static Map<String, String> parse(List<String> words, Set<String> flags, boolean bare, Messages messages) {
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i < words.size(); i++) {
			String w = words.get(i);
			boolean dashed = w.startsWith("--") && w.length() > 2;
			if (!dashed && !(bare && w.indexOf('=') > 0)) throw new UserError(messages.of(Problem.NOT_AN_OPTION, w));
			String name = dashed ? w.substring(2) : w;
			String value;
			int eq = name.indexOf('=');
			if (eq > 0) {
				value = name.substring(eq + 1);
				name = name.substring(0, eq);
			} else if (flags.contains(name)) {
				value = "true";
			} else {
				if (i + 1 >= words.size()) throw new UserError(messages.of(Problem.MISSING_VALUE, name));
				value = words.get(++i);
			}
			if (values.containsKey(name)) throw new UserError(messages.of(Problem.GIVEN_TWICE, name));
			values.put(name, value);
		}
		return values;
	}
}
