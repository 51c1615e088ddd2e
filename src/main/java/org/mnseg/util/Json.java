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

	public static JsonElement read(Path file) {
		String text;
		try {
			text = AtomicFiles.readString(file);
		} catch (RuntimeException e) {
			throw new UserError("Could not read " + file + ": " + e.getMessage(), e);
		}
		try {
			return JsonParser.parseString(text);
		} catch (JsonParseException e) {
			throw new UserError(file + " is not valid JSON: " + e.getMessage(), e);
		}
	}
}
