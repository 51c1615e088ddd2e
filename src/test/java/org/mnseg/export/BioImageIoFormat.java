package org.mnseg.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks a model description against the rules of the BioImage.IO model format 0.5 (bioimageio.spec's
 * {@code model/v0_5.py}): required fields and their types, identifiers, axes, sizes, halos, processing ids, weights
 * entries, and that every file it names is in the package with the stated sha256 and, for test tensors, a shape
 * the axes allow. Returns the problems found (none for a valid description), so a test can show them all.
 */
final class BioImageIoFormat {
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+\\- ()]{5,128}");
	private static final Pattern LOWER_ID = Pattern.compile("[a-z_][a-z0-9_]*");
	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
	private static final Set<String> PRE = Set.of("binarize", "clip", "ensure_dtype", "fixed_zero_mean_unit_variance", "scale_linear",
		"scale_range", "sigmoid", "softmax", "zero_mean_unit_variance");
	private static final Set<String> POST = Set.of("binarize", "clip", "ensure_dtype", "fixed_zero_mean_unit_variance", "scale_linear",
		"scale_mean_variance", "scale_range", "sigmoid", "softmax", "zero_mean_unit_variance");
	private static final Set<String> DTYPES = Set.of("float32", "float64", "uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "bool");

	private final List<String> problems = new ArrayList<>();
	private final Map<String, byte[]> files;
	/** Axis sizes of the test tensors, by tensor id and axis id. */
	private final Map<String, Map<String, Long>> testSizes = new HashMap<>();

	private BioImageIoFormat(Map<String, byte[]> files) {
		this.files = files;
	}

	static Map<String, Object> parse(byte[] yaml) {
		return new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(yaml, StandardCharsets.UTF_8));
	}

	/** The problems of the package's {@code bioimageio.yaml} (empty: valid). */
	static List<String> check(Map<String, byte[]> files) {
		BioImageIoFormat c = new BioImageIoFormat(files);
		byte[] yaml = files.get("bioimageio.yaml");
		if (yaml == null) return List.of("no bioimageio.yaml in the package");
		c.model(parse(yaml));
		return c.problems;
	}

	private void model(Map<String, Object> d) {
		expect(String.valueOf(d.get("format_version")).matches("0\\.5\\.\\d+"), "format_version must be 0.5.x, is " + d.get("format_version"));
		expect("model".equals(d.get("type")), "type must be 'model'");
		expect(d.get("name") instanceof String n && NAME.matcher(n).matches(), "name: 5-128 of letters, digits, _+-() and spaces: " + d.get("name"));
		expect(d.get("description") instanceof String s && s.length() <= 1024, "description: a string of at most 1024 characters");
		List<?> authors = list(d, "authors");
		expect(!authors.isEmpty(), "authors must not be empty");
		for (Object a : authors) expect(a instanceof Map<?, ?> m && m.get("name") instanceof String, "each author needs a name");
		List<?> cite = list(d, "cite");
		expect(!cite.isEmpty(), "cite must not be empty");
		for (Object c : cite)
			expect(c instanceof Map<?, ?> m && m.get("text") instanceof String && (m.get("url") instanceof String || m.get("doi") instanceof String),
				"each cite entry needs text and a doi or url");
		expect(d.get("license") instanceof String l && l.matches("[A-Za-z0-9.+\\-]+"), "license: an SPDX identifier");
		for (Object t : list(d, "tags")) expect(t instanceof String, "tags are strings");
		for (Object c : list(d, "covers"))
			expect(c instanceof String s && s.matches(".*\\.(png|jpg|jpeg|gif)") && files.containsKey(s), "cover " + c + " must be an image in the package");
		expect(d.get("documentation") instanceof String s && s.endsWith(".md") && files.containsKey(s), "documentation: a .md file in the package");
		// Python's datetime.fromisoformat (before 3.11): at most 6 fractional digits, "+hh:mm" rather than "Z"
		expect(d.get("timestamp") == null || d.get("timestamp") instanceof String ts
			&& ts.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?([+-]\\d{2}:\\d{2})?"), "timestamp " + d.get("timestamp") + " is not ISO 8601 as Python reads it");
		List<?> inputs = list(d, "inputs"), outputs = list(d, "outputs");
		expect(!inputs.isEmpty() && !outputs.isEmpty(), "inputs and outputs must not be empty");
		Set<String> ids = new HashSet<>();
		Map<String, Map<String, Object>> inputAxes = new HashMap<>();
		for (Object t : inputs) tensor(t, true, ids, inputAxes);
		for (Object t : outputs) tensor(t, false, ids, inputAxes);
		weights(d.get("weights"));
	}

	private void tensor(Object o, boolean input, Set<String> ids, Map<String, Map<String, Object>> inputAxes) {
		if (!(o instanceof Map<?, ?> t)) {
			problems.add("a tensor description must be a map");
			return;
		}
		String id = String.valueOf(t.get("id"));
		expect(LOWER_ID.matcher(id).matches() && id.length() <= 32, "tensor id " + id + ": lower-case identifier of at most 32 characters");
		expect(ids.add(id), "duplicate tensor id " + id);
		expect(t.get("data") instanceof Map<?, ?> data && DTYPES.contains(data.get("type")), id + ": data.type must be a known dtype");
		List<?> axes = t.get("axes") instanceof List<?> l ? l : List.of();
		expect(!axes.isEmpty(), id + ": axes must not be empty");
		long[] shape = testTensorShape(t.get("test_tensor"), id);
		expect(shape == null || shape.length == axes.size(), id + ": the test tensor has " + (shape == null ? 0 : shape.length) + " dimensions for " + axes.size() + " axes");
		Set<String> axisIds = new HashSet<>();
		Map<String, Object> mine = new HashMap<>();
		Map<String, Long> sizes = new HashMap<>();
		int batches = 0;
		for (int i = 0; i < axes.size(); i++) {
			if (!(axes.get(i) instanceof Map<?, ?> a)) {
				problems.add(id + ": an axis must be a map");
				continue;
			}
			String type = String.valueOf(a.get("type"));
			String axisId = a.get("id") == null ? (type.equals("batch") || type.equals("channel") ? type : "x") : a.get("id").toString();
			expect(LOWER_ID.matcher(axisId).matches() && axisId.length() <= 16, id + ": axis id " + axisId + " must be a short lower-case identifier");
			expect(axisIds.add(axisId), id + ": duplicate axis " + axisId);
			Long actual = shape != null && shape.length == axes.size() ? shape[i] : null;
			if (actual != null) sizes.put(axisId, actual);
			switch (type) {
				case "batch" -> batches++;
				case "channel" -> {
					List<?> names = a.get("channel_names") instanceof List<?> n ? n : List.of();
					expect(!names.isEmpty(), id + ": channel_names must not be empty");
					for (Object n : names) expect(n instanceof String s && IDENTIFIER.matcher(s).matches(), id + ": channel name " + n + " must be an identifier");
					expect(actual == null || actual == names.size(), id + ": the test tensor has " + actual + " channels, the axis names " + names.size());
				}
				case "space" -> {
					Object size = a.get("size");
					if (input) {
						expect(a.get("halo") == null, id + ": input axes have no halo");
						if (size instanceof Map<?, ?> p) {
							boolean ok = p.get("min") instanceof Integer min && min > 0 && p.get("step") instanceof Integer step && step > 0;
							expect(ok, id + "." + axisId + ": a parameterized size needs min > 0 and step > 0");
							if (ok && actual != null)
								expect(actual >= (Integer) p.get("min") && (actual - (Integer) p.get("min")) % (Integer) p.get("step") == 0,
									id + "." + axisId + ": test size " + actual + " is not min + n * step");
						} else expect(size instanceof Integer s && s > 0 && (actual == null || actual.longValue() == s), id + "." + axisId + ": size must be a positive int matching the test tensor");
						mine.put(axisId, size);
					} else {
						boolean ref = size instanceof Map<?, ?> r && r.get("tensor_id") != null && r.get("axis_id") != null;
						expect(ref || size instanceof Integer, id + "." + axisId + ": output size must be an int or a reference");
						if (ref) {
							Map<?, ?> r = (Map<?, ?>) size;
							Map<String, Object> refAxes = inputAxes.get(String.valueOf(r.get("tensor_id")));
							Object refSize = refAxes == null ? null : refAxes.get(String.valueOf(r.get("axis_id")));
							expect(refSize != null, id + "." + axisId + ": the reference " + r + " names no input axis");
							Long refActual = testSizes.getOrDefault(String.valueOf(r.get("tensor_id")), Map.of()).get(String.valueOf(r.get("axis_id")));
							int offset = r.get("offset") instanceof Integer off ? off : 0;
							expect(actual == null || refActual == null || actual == refActual + offset, id + "." + axisId + ": test size " + actual + " differs from the referenced " + refActual);
							if (a.get("halo") != null) {
								boolean halo = a.get("halo") instanceof Integer h && h >= 1 && h % 2 == 0;
								expect(halo, id + "." + axisId + ": halo must be an even int >= 1 (the input halo must be even)");
								if (halo && refSize instanceof Map<?, ?> p && p.get("min") instanceof Integer min)
									expect(min - 2 * (Integer) a.get("halo") >= 1, id + "." + axisId + ": the smallest tile " + min + " is too small for halo " + a.get("halo"));
							}
						}
					}
					expect(a.get("unit") == null || "millimeter".equals(a.get("unit")) || "micrometer".equals(a.get("unit")) || "nanometer".equals(a.get("unit")),
						id + "." + axisId + ": unit " + a.get("unit"));
					expect(a.get("scale") == null || a.get("scale") instanceof Number n && n.doubleValue() > 0, id + "." + axisId + ": scale must be > 0");
				}
				default -> problems.add(id + ": axis type " + type + " is not one of batch, channel, space (the ones this model uses)");
			}
		}
		expect(batches <= 1, id + ": at most one batch axis");
		if (input) inputAxes.put(id, mine);
		testSizes.put(id, sizes);
		Object steps = t.get(input ? "preprocessing" : "postprocessing");
		for (Object s : steps instanceof List<?> l ? l : List.of()) {
			boolean known = s instanceof Map<?, ?> m && (input ? PRE : POST).contains(m.get("id"));
			expect(known, id + ": unknown processing step " + s);
			if (known && ((Map<?, ?>) s).get("kwargs") instanceof Map<?, ?> kw) {
				if (kw.get("axes") instanceof List<?> ax) for (Object x : ax) expect(axisIds.contains(x), id + ": processing names axis " + x + " that the tensor lacks");
				if (kw.get("axis") != null) expect(axisIds.contains(kw.get("axis")), id + ": processing names axis " + kw.get("axis") + " that the tensor lacks");
				if ("scale_linear".equals(((Map<?, ?>) s).get("id")))
					expect(kw.get("gain") instanceof Number && kw.get("offset") instanceof Number, id + ": scale_linear needs numbers");
				if ("clip".equals(((Map<?, ?>) s).get("id")))
					expect(kw.get("min") instanceof Number lo && kw.get("max") instanceof Number hi && lo.doubleValue() < hi.doubleValue(), id + ": clip needs min < max");
				if (kw.get("eps") != null) expect(kw.get("eps") instanceof Number e && e.doubleValue() > 0 && e.doubleValue() <= 0.1, id + ": eps in (0, 0.1]");
			}
		}
	}

	private void weights(Object o) {
		if (!(o instanceof Map<?, ?> w) || w.isEmpty()) {
			problems.add("weights: at least one entry");
			return;
		}
		for (Map.Entry<?, ?> e : w.entrySet())
			expect(Set.of("keras_hdf5", "onnx", "pytorch_state_dict", "tensorflow_js", "tensorflow_saved_model_bundle", "torchscript").contains(e.getKey()),
				"unknown weights format " + e.getKey());
		if (w.get("pytorch_state_dict") instanceof Map<?, ?> p) {
			file(p, "weights.pytorch_state_dict");
			expect(p.get("pytorch_version") instanceof String v && v.matches("\\d+(\\.\\d+)*.*"), "pytorch_state_dict.pytorch_version must be a version");
			expect(p.get("parent") == null, "the original weights have no parent");
			if (p.get("architecture") instanceof Map<?, ?> a) {
				file(a, "architecture");
				expect(a.get("callable") instanceof String c && IDENTIFIER.matcher(c).matches(), "architecture.callable must be an identifier");
				expect(a.get("kwargs") == null || a.get("kwargs") instanceof Map, "architecture.kwargs must be a map");
			} else problems.add("pytorch_state_dict needs an architecture");
		}
	}

	private void file(Map<?, ?> descr, String what) {
		Object source = descr.get("source");
		byte[] data = source == null ? null : files.get(source.toString());
		expect(data != null, what + ": source " + source + " is not in the package");
		expect(data == null || sha256(data).equals(descr.get("sha256")), what + ": sha256 differs from " + source + "'s");
	}

	private long[] testTensorShape(Object o, String id) {
		if (!(o instanceof Map<?, ?> t)) return null; // optional in 0.5.5
		file(t, id + ".test_tensor");
		expect(String.valueOf(t.get("source")).endsWith(".npy"), id + ": test tensors must be .npy");
		byte[] data = files.get(String.valueOf(t.get("source")));
		return data == null ? null : npyShape(data);
	}

	/** The shape in a .npy header (and checks the magic and that the data fills it as float32). */
	static long[] npyShape(byte[] npy) {
		ByteBuffer b = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
		if ((npy[0] & 0xff) != 0x93 || !new String(npy, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY") || npy[6] != 1)
			throw new IllegalArgumentException("not a version-1 .npy file");
		int headerLength = b.getShort(8) & 0xffff;
		String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
		if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False") || (10 + headerLength) % 64 != 0)
			throw new IllegalArgumentException("unexpected .npy header " + header);
		Matcher m = Pattern.compile("'shape': \\(([0-9, ]*)\\)").matcher(header);
		if (!m.find()) throw new IllegalArgumentException("no shape in " + header);
		long[] shape = java.util.Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
		long n = 1;
		for (long d : shape) n *= d;
		if (npy.length - 10 - headerLength != n * 4) throw new IllegalArgumentException("data size does not match shape " + m.group(1));
		return shape;
	}

	private List<?> list(Map<String, Object> d, String key) {
		Object v = d.get(key);
		expect(v instanceof List, key + " must be a list");
		return v instanceof List<?> l ? l : List.of();
	}

	private void expect(boolean ok, String problem) {
		if (!ok) problems.add(problem);
	}

	static String sha256(byte[] data) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
		} catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
