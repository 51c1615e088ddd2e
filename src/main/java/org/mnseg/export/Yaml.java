package org.mnseg.export;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small YAML writer for descriptions built from ordered maps, lists, strings, numbers and booleans: block style,
 * lists of plain values in flow style, every string double-quoted (JSON escapes are valid YAML, so no string is
 * misread as a number, a boolean or a date), numbers in plain decimal notation (read as numbers by YAML 1.1 and 1.2
 * parsers alike).
 */
final class Yaml {
	private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private Yaml() {}

	static String write(Map<String, ?> document) {
		StringBuilder out = new StringBuilder();
		map(out, document, 0, false);
		return out.toString();
	}

	/** Writes a map's entries at {@code indent}; in a list item the first entry continues the "- " line. */
	private static void map(StringBuilder out, Map<?, ?> m, int indent, boolean continuesLine) {
		boolean first = true;
		for (Map.Entry<?, ?> e : m.entrySet()) {
			if (!(first && continuesLine)) out.append(" ".repeat(indent));
			first = false;
			out.append(key(e.getKey().toString())).append(':');
			value(out, e.getValue(), indent);
		}
	}

	/** Writes a value after "key:" (or "-"), ending the line. */
	private static void value(StringBuilder out, Object v, int indent) {
		if (v instanceof Map<?, ?> m && !m.isEmpty()) {
			out.append('\n');
			map(out, m, indent + 2, false);
		} else if (v instanceof List<?> l && !l.isEmpty() && !isFlat(l)) {
			out.append('\n');
			for (Object item : l) {
				out.append(" ".repeat(indent + 2)).append('-');
				if (item instanceof Map<?, ?> m && !m.isEmpty()) {
					out.append(' ');
					map(out, m, indent + 4, true);
				} else value(out, item, indent + 2);
			}
		} else {
			out.append(' ').append(scalar(v)).append('\n');
		}
	}

	private static boolean isFlat(List<?> l) {
		for (Object o : l)
			if (o instanceof Map<?, ?> || o instanceof List<?>) return false;
		return true;
	}

	private static String scalar(Object v) {
		if (v == null) return "null";
		if (v instanceof Map<?, ?>) return "{}";
		if (v instanceof List<?> l) {
			StringBuilder b = new StringBuilder("[");
			for (int i = 0; i < l.size(); i++) b.append(i > 0 ? ", " : "").append(scalar(l.get(i)));
			return b.append(']').toString();
		}
		if (v instanceof Boolean) return v.toString();
		if (v instanceof Integer || v instanceof Long) return v.toString();
		if (v instanceof Number n) {
			double d = n.doubleValue();
			if (!Double.isFinite(d)) throw new IllegalArgumentException("not a finite number: " + d);
			String plain = new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
			return plain.contains(".") ? plain : plain + ".0";
		}
		return quote(v.toString());
	}

	private static String key(String k) {
		return PLAIN_KEY.matcher(k).matches() && !List.of("true", "false", "null", "yes", "no", "on", "off", "y", "n").contains(k.toLowerCase())
			? k : quote(k);
	}

	static String quote(String s) {
		StringBuilder b = new StringBuilder("\"");
		for (char c : s.toCharArray()) {
			switch (c) {
				case '"' -> b.append("\\\"");
				case '\\' -> b.append("\\\\");
				case '\n' -> b.append("\\n");
				case '\t' -> b.append("\\t");
				case '\r' -> b.append("\\r");
				default -> {
					if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
					else b.append(c);
				}
			}
		}
		return b.append('"').toString();
	}
}
