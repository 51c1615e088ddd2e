package org.mnseg.util;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Typed, checked reading of an options map that came from JSON (numbers arrive as {@code Double}), a bundle or the
 * command line (everything arrives as a string). Every mistake is a {@link UserError} naming the option and its owner.
 */
public final class OptionMap {
	private final Map<String, ?> map;
	private final String owner;

	/**
	 * @param owner what the options belong to, as messages name it, e.g. {@code network unet3d} or
	 *            {@code the fine-tuning settings in model.mnmodel}
	 */
	public OptionMap(Map<String, ?> map, String owner) {
		this.map = map == null ? Map.of() : map;
		this.owner = owner;
	}

	/** Refuses keys outside {@code known}. */
	public OptionMap requireKnown(Collection<String> known) {
		for (String key : map.keySet())
			if (!known.contains(key))
				throw new UserError("Unknown option '" + key + "' for " + owner + ": known options are " + new TreeSet<>(known));
		return this;
	}

	public boolean has(String key) {
		return map.get(key) != null;
	}

	/** A number; {@code fallback} when absent, or an error when the fallback is null (a required option). */
	public double number(String key, Double fallback) {
		Object v = map.get(key);
		if (v == null) {
			if (fallback == null) throw new UserError(capitalised(owner) + " needs the option '" + key + "'");
			return fallback;
		}
		if (v instanceof Number) return ((Number) v).doubleValue();
		try {
			return Double.parseDouble(v.toString().trim());
		} catch (NumberFormatException e) {
			throw new UserError("Option '" + key + "' of " + owner + " must be a number, got '" + v + "'");
		}
	}

	/** A whole number (1.0 from JSON is 1); as {@link #number} for absent values. */
	public int integer(String key, Integer fallback) {
		double d = number(key, fallback == null ? null : fallback.doubleValue());
		if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE)
			throw new UserError("Option '" + key + "' of " + owner + " must be a whole number, got '" + map.get(key) + "'");
		return (int) d;
	}

	/** {@code true} or {@code false} (a Boolean or its text); {@code fallback} when absent. */
	public boolean flag(String key, boolean fallback) {
		Object v = map.get(key);
		if (v == null) return fallback;
		if (v instanceof Boolean) return (Boolean) v;
		String s = v.toString().trim().toLowerCase(Locale.ROOT);
		if (s.equals("true") || s.equals("false")) return Boolean.parseBoolean(s);
		throw new UserError("Option '" + key + "' of " + owner + " must be true or false, got '" + v + "'");
	}

	/** The text of an option; {@code fallback} when absent. */
	public String string(String key, String fallback) {
		Object v = map.get(key);
		return v == null ? fallback : String.valueOf(v);
	}

	private static String capitalised(String s) {
		return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
	}
}
