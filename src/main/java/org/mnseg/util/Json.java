package org.mnseg.util;

import java.nio.file.Path;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/** One Gson configuration for every JSON file the project writes (pretty, NaN allowed for undefined metrics). */
public final class Json {
	private Json() {}

	public static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
		.disableHtmlEscaping().create();

	public static void write(Path file, Object value) {
		AtomicFiles.writeString(file, GSON.toJson(value) + "\n");
	}

	/**
	 * The error for a file that does not parse: where it breaks, without Java's exception names; a binary file (a
	 * volume given where a JSON file belongs) is named as such.
	 */
	public static UserError notJson(Path file, JsonParseException e, String whatToDo) {
		Throwable cause = e.getCause() != null ? e.getCause() : e;
		String todo = whatToDo.isBlank() ? "" : " " + whatToDo;
		if (cause instanceof java.nio.charset.CharacterCodingException)
			return new UserError(file + " is not a text file, so it cannot be JSON." + todo, e);
		String where = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
		return new UserError(file + " is not valid JSON (" + where + ")." + todo, e);
	}

	public static JsonElement read(Path file) {
		String text;
		try {
			text = AtomicFiles.readString(file);
		} catch (java.io.UncheckedIOException e) {
			if (e.getCause() instanceof java.nio.charset.CharacterCodingException)
				throw new UserError(file + " is not a text file, so it cannot be JSON.", e);
			throw new UserError("Could not read " + file + ": " + AtomicFiles.describe(e.getCause()), e);
		}
		try {
			return JsonParser.parseString(text);
		} catch (JsonParseException e) {
			throw notJson(file, e, "");
		}
	}
}
