package org.mnseg.fiji;

import ij.Macro;
import ij.Prefs;

/**
 * The values a dialog remembers between uses (ImageJ's preferences), under one prefix per command. When a macro
 * passes options, the built-in defaults apply instead: a macro line must mean the same thing every time, whatever
 * the dialog was last used with.
 */
final class DialogMemory {
	private final String prefix;

	DialogMemory(String prefix) {
		this.prefix = prefix;
	}

	/** The value last used, or the field's default when it is not remembered or a macro runs. */
	Object get(CommandParameter p) {
		Object def = p.initialValue();
		if (!p.remembered() || Macro.getOptions() != null) return def;
		String key = prefix + p.key();
		return switch (p.kind()) {
			case FLAG -> Prefs.get(key, (Boolean) def);
			case INTEGER -> (int) Prefs.get(key, ((Number) def).doubleValue());
			case CHOICE -> {
				String last = Prefs.get(key, (String) def);
				// a choice this version no longer offers falls back to the default
				yield p.choiceList().contains(last) ? last : def;
			}
			default -> Prefs.get(key, def == null ? "" : def.toString());
		};
	}

	void set(CommandParameter p, Object value) {
		String key = prefix + p.key();
		if (value instanceof Boolean b) Prefs.set(key, b);
		else if (value instanceof Number n) Prefs.set(key, n.doubleValue());
		else Prefs.set(key, value == null ? "" : value.toString());
	}
}
