package org.mnseg.dataset;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.mnseg.util.AtomicFiles;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/** Reads the {@code dataset.json} format of the shared data sets (see {@link DatasetSpec}). */
final class DatasetJson {
	static final String FILE_NAME = "dataset.json";
	static final String DEFAULT_LAYOUT = "imagesTr/<id>.nii.gz with labelsTr/<id>.nii.gz";
	private static final String ID = "<id>";
	/** Keys that only describe the data set; each must be a string when present. */
	private static final List<String> DESCRIPTIVE_KEYS = List.of("licence", "license", "source", "notes", "derivation", "description", "reference");

	private DatasetJson() {}

	static DatasetSpec read(Path file) {
		Path root = file.toAbsolutePath().getParent();
		JsonObject json = parse(file);
		String name = optionalString(json, "name", file, root.getFileName().toString());
		for (String key : DESCRIPTIVE_KEYS) optionalString(json, key, file, null);
		double[] spacing = optionalSpacing(json, file);
		String modality = optionalModality(json, file);
		Map<Integer, String> classes = classes(json, file);
		String[] layout = layout(optionalString(json, "layout", file, DEFAULT_LAYOUT), file);

		JsonObject split = object(json, "split", file);
		List<Case> train = cases(idList(split, "train", file, true), root, layout);
		List<Case> test = cases(idList(split, "test", file, false), root, layout);
		// a test case that is also trained on would make the test scores meaningless
		List<String> both = test.stream().map(Case::id).filter(id -> train.stream().anyMatch(c -> c.id().equals(id))).toList();
		if (!both.isEmpty())
			throw new UserError(file + ": 'split.test' lists " + both.size() + " case(s) that 'split.train' lists too (" + String.join(", ", both.subList(0,
				Math.min(5, both.size()))) + (both.size() > 5 ? ", ..." : "") + "); a test case must not be trained on. Remove them from one of the lists.");

		Map<String, Case> trainById = new HashMap<>();
		for (Case c : train) trainById.put(c.id(), c);
		Map<Integer, List<Case>> subsets = new TreeMap<>();
		if (json.has("labeled")) {
			for (Map.Entry<String, JsonElement> e : object(json, "labeled", file).entrySet()) {
				int size = parseInt(e.getKey(), file, "labeled");
				List<Case> subset = new ArrayList<>();
				for (String id : strings(e.getValue(), file, "labeled." + e.getKey())) {
					Case c = trainById.get(id);
					if (c == null) throw new UserError(file + ": labeled subset '" + e.getKey() + "' names case '" + id + "', which is not in split.train.");
					subset.add(c);
				}
				if (subset.size() != size)
					throw new UserError(file + ": labeled subset '" + e.getKey() + "' lists " + subset.size() + " cases instead of " + size + ".");
				subsets.put(size, subset);
			}
		}
		return new DatasetSpec(root, name, modality, () -> classes, train, test, subsets, List.of(), spacing);
	}

	private static JsonObject parse(Path file) {
		String fileName = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		if (!fileName.endsWith(".json"))
			throw new UserError(file + " is not a data set description (a dataset.json file): give the data set's dataset.json, or its folder"
				+ (fileName.endsWith(".nii") || fileName.endsWith(".nii.gz") || fileName.endsWith(".tif") || fileName.endsWith(".tiff") || fileName.endsWith(".h5")
					? "; a single image is segmented with 'mn segment', not trained on" : "") + ".");
		try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			JsonElement e = JsonParser.parseReader(r);
			if (!e.isJsonObject()) throw new UserError(file + " is not a data set description: a JSON object { ... } is expected.");
			return e.getAsJsonObject();
		}
		catch (JsonParseException e) {
			throw Json.notJson(file, e, "Give a dataset.json or a data set folder (images/, labels/).");
		}
		catch (IOException e) {
			throw new UserError("Could not read " + file + ": " + AtomicFiles.describe(e) + ".", e);
		}
	}

	/** {@code labels}: indices 0..K-1, each named, K >= 2. */
	private static Map<Integer, String> classes(JsonObject json, Path file) {
		Map<Integer, String> classes = new TreeMap<>();
		for (Map.Entry<String, JsonElement> e : object(json, "labels", file).entrySet())
			classes.put(parseInt(e.getKey(), file, "labels"), e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString());
		int k = classes.size();
		if (k < 2 || !classes.containsKey(0) || !classes.containsKey(k - 1) || k > 256)
			throw new UserError(file + ": 'labels' must name the classes 0 (background) to K-1 without gaps, K between 2 and 256; found indices "
				+ classes.keySet() + ".");
		return classes;
	}

	/** The two path patterns of {@code "images/<id>.ext with labels/<id>.ext"}. */
	private static String[] layout(String layout, Path file) {
		String[] parts = layout.split("\\s+with\\s+");
		if (parts.length != 2 || !parts[0].contains(ID) || !parts[1].contains(ID))
			throw new UserError(file + ": 'layout' must look like \"" + DEFAULT_LAYOUT + "\" (image pattern, 'with', label pattern, both containing "
				+ ID + "); found \"" + layout + "\".");
		return new String[] { parts[0].trim(), parts[1].trim() };
	}

	private static List<Case> cases(List<String> ids, Path root, String[] layout) {
		List<Case> out = new ArrayList<>();
		for (String id : ids) {
			Path image = root.resolve(layout[0].replace(ID, id));
			Path label = root.resolve(layout[1].replace(ID, id));
			DatasetSpec.requireCaseFile(id, "image", image);
			DatasetSpec.requireCaseFile(id, "label", label);
			out.add(new Case(id, image, label));
		}
		return out;
	}

	private static List<String> idList(JsonObject split, String key, Path file, boolean required) {
		if (!split.has(key)) {
			if (required) throw new UserError(file + ": 'split' has no '" + key + "' list of case ids.");
			return List.of();
		}
		List<String> ids = strings(split.get(key), file, "split." + key);
		if (new java.util.HashSet<>(ids).size() != ids.size()) throw new UserError(file + ": 'split." + key + "' lists a case id twice.");
		return ids;
	}

	private static List<String> strings(JsonElement e, Path file, String what) {
		if (!e.isJsonArray()) throw new UserError(file + ": '" + what + "' must be a list of case ids.");
		JsonArray a = e.getAsJsonArray();
		List<String> out = new ArrayList<>(a.size());
		for (JsonElement x : a) {
			if (!x.isJsonPrimitive()) throw new UserError(file + ": '" + what + "' must contain case ids (strings), found " + x + ".");
			out.add(x.getAsString());
		}
		return out;
	}

	private static JsonObject object(JsonObject json, String key, Path file) {
		JsonElement e = json.get(key);
		if (e == null || !e.isJsonObject())
			throw new UserError(file + ": '" + key + "' is missing or not an object { ... }. See the shared data sets' dataset.json for the format.");
		return e.getAsJsonObject();
	}

	private static String optionalString(JsonObject json, String key, Path file, String fallback) {
		JsonElement e = json.get(key);
		if (e == null || e.isJsonNull()) return fallback;
		if (!e.isJsonPrimitive()) throw new UserError(file + ": '" + key + "' must be a string.");
		return e.getAsString();
	}

	/** {@code spacing_mm}: three positive numbers (x, y, z), or absent. */
	private static double[] optionalSpacing(JsonObject json, Path file) {
		JsonElement e = json.get("spacing_mm");
		if (e == null || e.isJsonNull()) return null;
		String wrong = file + ": 'spacing_mm' must be a list of three positive numbers in millimetres (x, y, z), such as [1.0, 1.0, 1.0]; found " + e + ".";
		if (!e.isJsonArray() || e.getAsJsonArray().size() != 3) throw new UserError(wrong);
		double[] spacing = new double[3];
		for (int i = 0; i < 3; i++) {
			JsonElement v = e.getAsJsonArray().get(i);
			if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) throw new UserError(wrong);
			spacing[i] = v.getAsDouble();
			if (!(spacing[i] > 0) || Double.isInfinite(spacing[i])) throw new UserError(wrong);
		}
		return spacing;
	}

	/** A string, or (Medical Segmentation Decathlon style) an object of channel names, joined. */
	private static String optionalModality(JsonObject json, Path file) {
		JsonElement e = json.get("modality");
		if (e != null && e.isJsonObject()) {
			Map<String, String> channels = new LinkedHashMap<>();
			for (Map.Entry<String, JsonElement> c : e.getAsJsonObject().entrySet()) {
				if (!c.getValue().isJsonPrimitive())
					throw new UserError(file + ": 'modality' must be a string or an object of channel names (strings), found " + e + ".");
				channels.put(c.getKey(), c.getValue().getAsString());
			}
			return String.join(", ", channels.values());
		}
		return optionalString(json, "modality", file, "unknown");
	}

	private static int parseInt(String key, Path file, String where) {
		try {
			return Integer.parseInt(key.trim());
		}
		catch (NumberFormatException e) {
			throw new UserError(file + ": keys of '" + where + "' must be whole numbers, found '" + key + "'.");
		}
	}
}
