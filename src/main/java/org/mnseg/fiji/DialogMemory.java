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

	String get(String key, String def) {
		return Macro.getOptions() != null ? def : Prefs.get(prefix + key, def);
	}

	boolean get(String key, boolean def) {
		return Macro.getOptions() != null ? def : Prefs.get(prefix + key, def);
	}

	double get(String key, double def) {
		return Macro.getOptions() != null ? def : Prefs.get(prefix + key, def);
	}

	void set(String key, String value) {
		Prefs.set(prefix + key, value);
	}

	void set(String key, boolean value) {
		Prefs.set(prefix + key, value);
	}

	void set(String key, double value) {
		Prefs.set(prefix + key, value);
	}
}
