package org.mnseg.train;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.mnseg.util.UserError;

/**
 * Sets {@link TrainingSettings} fields from text by option name, so that every knob is reachable from the command
 * line ({@code --lr3d 3e-4}, {@code --patch 48,48,32}, {@code --zoom false}) and from Fiji dialogs without one
 * hand-written option per field. Option names are the field names in kebab case ({@code lr3d}, {@code base-filters}).
 */
public final class ConfigOverrides {
	private ConfigOverrides() {}

	/** Option name (kebab case) to field, for every settable field. */
	public static Map<String, Field> options() {
		Map<String, Field> m = new TreeMap<>();
		for (Field f : TrainingSettings.class.getFields()) {
			if (Modifier.isStatic(f.getModifiers())) continue;
			m.put(kebab(f.getName()), f);
		}
		return m;
	}

	public static boolean isOption(String name) {
		return options().containsKey(name);
	}

	/** Options parsed and type-checked, ready to apply to settings. */
	public static final class Parsed {
		private final Map<Field, Object> values;

		private Parsed(Map<Field, Object> values) {
			this.values = values;
		}

		/** Sets the parsed fields on {@code c}. */
		public void applyTo(TrainingSettings c) {
			values.forEach((f, v) -> {
				try {
					f.set(c, v instanceof int[] a ? a.clone() : v);
				} catch (IllegalAccessException ex) {
					throw new IllegalStateException(ex);
				}
			});
		}
	}

	/** Parses {@code name=value} pairs (names in kebab case); unknown names or bad values give a UserError. */
	public static Parsed parse(Map<String, String> values) {
		Map<String, Field> options = options();
		Map<Field, Object> parsed = new java.util.LinkedHashMap<>();
		for (Map.Entry<String, String> e : values.entrySet()) {
			Field f = options.get(e.getKey());
			if (f == null) throw new UserError("Unknown training option --" + e.getKey() + ". Known options: --" + String.join(", --", options.keySet()));
			try {
				parsed.put(f, parse(f.getType(), e.getValue()));
			} catch (RuntimeException ex) {
				throw new UserError("--" + e.getKey() + " " + e.getValue() + ": " + expected(f.getType()) + " expected.", ex);
			}
		}
		return new Parsed(parsed);
	}

	/** Applies {@code name=value} pairs (names in kebab case); unknown names or bad values give a UserError. */
	public static void apply(TrainingSettings c, Map<String, String> values) {
		parse(values).applyTo(c);
	}

	private static Object parse(Class<?> type, String v) {
		String s = v.trim();
		if (type == int.class) return Integer.parseInt(s);
		if (type == long.class) return Long.parseLong(s);
		if (type == double.class) return Double.parseDouble(s);
		if (type == boolean.class) {
			if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes") || s.equals("1")) return true;
			if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("no") || s.equals("0")) return false;
			throw new IllegalArgumentException(s);
		}
		if (type == int[].class) {
			String[] parts = s.split("[,x]");
			int[] out = new int[parts.length];
			for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i].trim());
			if (out.length != 3) throw new IllegalArgumentException(s);
			return out;
		}
		if (type == String.class) return s;
		throw new IllegalArgumentException("unsupported type " + type);
	}

	private static String expected(Class<?> type) {
		if (type == int.class || type == long.class) return "a whole number";
		if (type == double.class) return "a number";
		if (type == boolean.class) return "true or false";
		if (type == int[].class) return "three whole numbers x,y,z (e.g. 64,64,32)";
		return "a value";
	}

	static String kebab(String camel) {
		StringBuilder b = new StringBuilder();
		for (char ch : camel.toCharArray()) {
			if (Character.isUpperCase(ch)) b.append('-').append(Character.toLowerCase(ch));
			else b.append(ch);
		}
		return b.toString().toLowerCase(Locale.ROOT);
	}

	/**
	 * An option as help texts show it.
	 *
	 * @param name        the option's name (kebab case)
	 * @param placeholder what it takes: N, X, true|false, X,Y,Z or VALUE
	 * @param presets     the presets' values: one value when both set the same, else "cpu A, paper B" (values the cpu
	 *                    preset fits to the data set read "from the data"; {@link #help} then says how)
	 * @param help        what it means ({@link Help})
	 */
	public record OptionHelp(String name, String placeholder, String presets, String help) {}

	/** Every option, by name. */
	public static List<OptionHelp> help() {
		TrainingSettings cpu = new TrainingSettings(), paper = new TrainingSettings();
		Presets.apply("cpu", cpu, null);
		Presets.apply("paper", paper, null);
		List<OptionHelp> out = new ArrayList<>();
		for (Map.Entry<String, Field> e : options().entrySet()) {
			Field f = e.getValue();
			Help help = f.getAnnotation(Help.class);
			String cpuValue = help.fittedToData() ? "from the data" : shown(f, cpu), paperValue = shown(f, paper);
			out.add(new OptionHelp(e.getKey(), placeholder(f.getType()), cpuValue.equals(paperValue) ? cpuValue : "cpu " + cpuValue + ", paper " + paperValue,
				help.value()));
		}
		return out;
	}

	/** Two lines per option for {@code mn train --help}: "--name VALUE   [presets' values]", then what it means. */
	public static List<String> describe() {
		List<String> lines = new ArrayList<>();
		for (OptionHelp o : help()) {
			lines.add(String.format(Locale.ROOT, "--%s %s   [%s]", o.name(), o.placeholder(), o.presets()));
			lines.add("    " + o.help());
		}
		return lines;
	}

	private static String shown(Field f, TrainingSettings s) {
		try {
			Object v = f.get(s);
			String text = v instanceof int[] a ? a[0] + "," + a[1] + "," + a[2] : String.valueOf(v);
			return text.isEmpty() ? "none" : text;
		} catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String placeholder(Class<?> type) {
		if (type == int.class || type == long.class) return "N";
		if (type == double.class) return "X";
		if (type == boolean.class) return "true|false";
		if (type == int[].class) return "X,Y,Z";
		return "VALUE";
	}
}
