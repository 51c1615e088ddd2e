package org.mnseg.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.mnseg.bundle.BundleInfo;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Normalization;
import org.mnseg.data.Volume;
import org.mnseg.dataset.Case;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.io.VolumeIO;
import org.mnseg.nn.EngineThreads;
import org.mnseg.nn.Network;
import org.mnseg.nn.UNet3D;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.Json;
import org.mnseg.util.OutputFiles;
import org.mnseg.util.Sha256;
import org.mnseg.util.UserError;
import org.mnseg.util.Version;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Exports the 3D UNet of a model bundle as a BioImage.IO model (format 0.5): a zip with {@code bioimageio.yaml}, the
 * weights as a PyTorch state dict written in {@code torch.save}'s format, the architecture as Python source (the
 * project's PyTorch twin of {@link UNet3D}, {@code scripts/reference/unet3d_torch.py}, shipped in the jar), test input
 * and output tensors computed here by the Java network, a cover image and a README on how the model was trained.
 * Everything is written by Java: no Python is needed to export.
 */
public final class BioImageIoExporter {
	public static final String FORMAT_VERSION = "0.5.5";
	static final String DESCRIPTION_FILE = "bioimageio.yaml";
	static final String WEIGHTS_FILE = "weights.pt";
	static final String ARCHITECTURE_FILE = "unet3d_torch.py";
	static final String ARCHITECTURE_CALLABLE = "UNet3D";
	static final String TEST_INPUT = "test_input.npy";
	static final String TEST_OUTPUT = "test_output.npy";
	static final String COVER = "cover.png";
	static final String README = "README.md";
	static final String INPUT_ID = "image";
	static final String OUTPUT_ID = "probabilities";
	static final String PROJECT_URL = "https://github.com/mnseg/mn-fiji";
	static final String PAPER_CODE_URL = "https://github.com/pakheiyeung/M-N";
	/** Characters BioImage.IO allows in a model name. */
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+\\- ()]{5,128}");
	private static final Pattern SPDX = Pattern.compile("[A-Za-z0-9.+\\-]+");

	private BioImageIoExporter() {}

	/** What an export wrote. */
	public record Result(Path file, String name, int[] tileSize, Path testVolume) {}

	/** The valid tile sizes and halo of a UNet with {@code levels} levels (see {@link #validSizes}). */
	record ValidSizes(int min, int step, int halo) {}

	/**
	 * Sizes a UNet accepts: multiples of 2^(levels-1) (every max-pool halves them), at least two of those steps so
	 * that the deepest level holds more than one voxel (instance norm of one voxel is 0). The halo, half a step (at
	 * least 2, and even, as the format requires), is what a tiled run crops from each tile's border, where
	 * zero padding made the logits differ from those inside a larger volume.
	 */
	static ValidSizes validSizes(int levels) {
		int step = 1 << (levels - 1);
		int halo = Math.max(2, step / 2);
		int min = Math.max(2 * step, 2 * halo + 1);
		min = (min + step - 1) / step * step;
		return new ValidSizes(min, step, halo);
	}

	public static Result export(ExportSettings s) {
		Path out = s.out();
		if (out == null) throw new UserError("No output file given: name the BioImage.IO .zip to write.");
		if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip"))
			throw new UserError("The output " + out + " must be a .zip file (a BioImage.IO model is a zip).");
		if (Files.isDirectory(out)) throw new UserError(out + " is a folder: give the path of a .zip file to write.");
		OutputFiles.requireNotInput(out, java.util.stream.Stream.of(s.bundle(), s.volume()).filter(java.util.Objects::nonNull).toList(), "The output");
		if (Files.exists(out) && !s.overwrite())
			throw new UserError(out + " already exists: choose another file, or allow overwriting it (--overwrite; in Fiji: tick 'Overwrite').");
		String license = s.license() == null || s.license().isBlank() ? ExportSettings.DEFAULT_LICENSE : s.license().trim();
		if (!SPDX.matcher(license).matches())
			throw new UserError("The license '" + license + "' is not an SPDX identifier (e.g. CC-BY-4.0, MIT, Apache-2.0).");
		if (s.name() != null && !s.name().isBlank() && !NAME.matcher(s.name().trim()).matches())
			throw new UserError("The model name '" + s.name() + "' is not allowed by BioImage.IO: use 5 to 128 letters, digits, spaces and _ + - ( ).");

		ModelBundle bundle = ModelBundle.load(s.bundle());
		BundleInfo info = bundle.info();
		String role = s.role() == null || s.role().isBlank() ? bundle.defaultRole() : s.role().trim();
		ModelBundle.Entry entry = bundle.models().get(role);
		if (entry == null)
			throw new UserError("The model bundle has no '" + role + "' model; it has: " + String.join(", ", bundle.models().keySet()) + ".");
		if (!UNet3D.ARCHITECTURE.equals(entry.architecture())) {
			String unet = bundle.models().entrySet().stream().filter(m -> UNet3D.ARCHITECTURE.equals(m.getValue().architecture())).map(Map.Entry::getKey)
				.findFirst().orElse(null);
			throw new UserError("The '" + role + "' model of " + s.bundle().getFileName() + " is a " + entry.architecture() + "; only the 3D UNet ("
				+ UNet3D.ARCHITECTURE + ") can be exported to BioImage.IO so far"
				+ (unet == null ? ", and this bundle holds none." : ": export the bundle's '" + unet + "' model (--role " + unet + ")."));
		}
		int levels = intConfig(entry, "levels");
		int inChannels = intConfig(entry, "in_channels");
		int numClasses = intConfig(entry, "num_classes");
		ValidSizes sizes = validSizes(levels);

		TestVolume source = testVolume(s, info);
		Volume raw = source.volume();
		if (raw.channels() != inChannels)
			throw new UserError("The volume " + source.file() + " has " + raw.channels() + " channel(s); the model was trained on " + inChannels + ".");
		int[] trainingPatch = info.window().patch;
		int[] tile = new int[3];
		for (int a = 0; a < 3; a++) {
			int patch = trainingPatch != null && trainingPatch.length == 3 ? trainingPatch[a] : sizes.min();
			tile[a] = Math.max(sizes.min(), (patch + sizes.step() - 1) / sizes.step() * sizes.step());
		}
		float[] input = crop(raw, source.centre(), tile);
		Normalization normalization = Normalization.parse(info.normalization == null ? "none" : info.normalization);
		long[] dims = inChannels == 1 ? new long[] { tile[0], tile[1], tile[2] } : new long[] { tile[0], tile[1], tile[2], inChannels };
		float[] normalised = normalization.apply(Volume.wrap(input.clone(), dims, raw.geometry())).data();
		long[] inShape = { 1, inChannels, tile[2], tile[1], tile[0] };
		long[] outShape = { 1, numClasses, tile[2], tile[1], tile[0] };
		String pytorchVersion;
		float[] probabilities;
		EngineThreads.prepare();
		try (NDManager manager = NDManager.newBaseManager(Device.cpu()); Network net = bundle.instantiate(role, manager)) {
			NDArray x = manager.create(normalised, new Shape(inShape));
			probabilities = net.forward(x, false).softmax(1).toFloatArray();
			pytorchVersion = Engine.getEngine("PyTorch").getVersion();
		}
		int[] labels = argmax(probabilities, numClasses);

		byte[] weights = weightsFile(entry);
		byte[] architecture = architectureSource();
		byte[] testInput = Npy.float32(inShape, input);
		byte[] testOutput = Npy.float32(outShape, probabilities);
		byte[] cover = CoverImage.png(input, labels, tile);
		String name = s.name() != null && !s.name().isBlank() ? s.name().trim() : defaultName(info);
		byte[] readme = Documentation.readme(info, entry, role, name, sizes, tile, source, metricsNextTo(s.bundle())).getBytes(StandardCharsets.UTF_8);

		Map<String, Object> doc = description(s, info, entry, role, name, license, sizes, normalization, pytorchVersion, Sha256.hex(testInput),
			Sha256.hex(testOutput), Sha256.hex(weights), Sha256.hex(architecture));
		byte[] yaml = Yaml.write(doc).getBytes(StandardCharsets.UTF_8);

		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put(DESCRIPTION_FILE, yaml);
		files.put(README, readme);
		files.put(COVER, cover);
		files.put(ARCHITECTURE_FILE, architecture);
		files.put(WEIGHTS_FILE, weights);
		files.put(TEST_INPUT, testInput);
		files.put(TEST_OUTPUT, testOutput);
		AtomicFiles.write(out, stream -> {
			ZipOutputStream zip = new ZipOutputStream(stream);
			for (Map.Entry<String, byte[]> f : files.entrySet()) {
				ZipEntry e = new ZipEntry(f.getKey());
				// float tensors barely compress and the paper UNet's weights are 90 MB: store them, deflate the texts
				if (f.getKey().endsWith(".pt") || f.getKey().endsWith(".npy")) {
					CRC32 crc = new CRC32();
					crc.update(f.getValue());
					e.setMethod(ZipEntry.STORED);
					e.setSize(f.getValue().length);
					e.setCompressedSize(f.getValue().length);
					e.setCrc(crc.getValue());
				}
				zip.putNextEntry(e);
				zip.write(f.getValue());
				zip.closeEntry();
			}
			zip.finish();
		});
		return new Result(out, name, tile, source.file());
	}

	/** The content of {@code bioimageio.yaml}, in the order the format's documentation lists the fields. */
	private static Map<String, Object> description(ExportSettings s, BundleInfo info, ModelBundle.Entry entry, String role, String name, String license,
		ValidSizes sizes, Normalization normalization, String pytorchVersion, String testInputSha, String testOutputSha, String weightsSha,
		String architectureSha) {
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("format_version", FORMAT_VERSION);
		doc.put("type", "model");
		doc.put("name", name);
		doc.put("description", truncate(Documentation.summary(info, entry), 1024));
		List<Object> authors = new ArrayList<>();
		for (String a : s.authors() == null || s.authors().isEmpty() ? List.of(System.getProperty("user.name", "unknown")) : s.authors())
			if (!a.isBlank()) authors.add(map("name", a.trim()));
		doc.put("authors", authors);
		doc.put("cite", List.of(
			map("text", "PH. Yeung et al. (2025): M&N, semi-supervised 3D medical image segmentation by co-training a 2D model "
				+ "pretrained on natural images with a 3D model trained from scratch (the paper's code)", "url", PAPER_CODE_URL),
			map("text", "M&N for Fiji: the Fiji plugin and command line that trained and exported this model", "url", PROJECT_URL)));
		doc.put("license", license);
		doc.put("git_repo", PROJECT_URL);
		doc.put("tags", tags(info));
		doc.put("covers", List.of(COVER));
		doc.put("documentation", README);
		String timestamp = timestamp(info.created);
		if (timestamp != null) doc.put("timestamp", timestamp);
		doc.put("inputs", List.of(inputDescription(info, intConfig(entry, "in_channels"), sizes, testInputSha, normalization)));
		doc.put("outputs", List.of(outputDescription(info, sizes, testOutputSha)));
		Map<String, Object> stateDict = map("source", WEIGHTS_FILE, "sha256", weightsSha,
			"architecture", map("source", ARCHITECTURE_FILE, "sha256", architectureSha, "callable", ARCHITECTURE_CALLABLE,
				"kwargs", architectureKwargs(entry)),
			"pytorch_version", pytorchVersion,
			"comment", "Written by M&N for Fiji " + Version.describe() + " (Java) in the format of torch.save; "
				+ "torch.load(..., weights_only=True) reads it.");
		doc.put("weights", map("pytorch_state_dict", stateDict));
		doc.put("config", map("mnseg", provenance(info, role)));
		return doc;
	}

	/** The UNet's constructor arguments; whole numbers as ints (the bundle's JSON reads them back as doubles). */
	static Map<String, Object> architectureKwargs(ModelBundle.Entry e) {
		Map<String, Object> kwargs = new LinkedHashMap<>();
		for (Map.Entry<String, Object> c : e.config().entrySet())
			kwargs.put(c.getKey(), c.getValue() instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? (Object) n.longValue() : c.getValue());
		return kwargs;
	}

	private static int intConfig(ModelBundle.Entry e, String key) {
		Object v = e.config().get(key);
		if (!(v instanceof Number n)) throw new UserError("The model bundle's UNet has no '" + key + "' setting; the bundle is damaged.");
		return n.intValue();
	}

	/** A volume for the test tensors and the cover, and the voxel to centre the tile on ({x, y, z}). */
	record TestVolume(Volume volume, int[] centre, Path file, String caseId) {}

	private static TestVolume testVolume(ExportSettings s, BundleInfo info) {
		if (s.volume() != null) {
			Volume v = VolumeIO.readImage(s.volume());
			int[] shape = v.shape();
			return new TestVolume(v, new int[] { shape[0] / 2, shape[1] / 2, shape[2] / 2 }, s.volume(), null);
		}
		String hint = " Give a volume like those the model was trained on (--volume FILE; in Fiji: 'Test volume').";
		if (info.dataset == null || info.labeledCases.isEmpty())
			throw new UserError("The model bundle names no training data set to take a test volume from." + hint);
		DatasetSpec spec;
		try {
			spec = DatasetSpec.open(Paths.get(info.dataset));
		} catch (UserError e) {
			throw new UserError("The data set the model was trained on (" + info.dataset + ") cannot be read here." + hint);
		}
		String id = info.labeledCases.get(0);
		Case c = spec.train().stream().filter(k -> k.id().equals(id)).findFirst()
			.orElseThrow(() -> new UserError("The data set " + info.dataset + " no longer holds the labeled case '" + id + "'." + hint));
		Volume v = VolumeIO.readImage(c.image());
		int[] shape = v.shape();
		int[] centre = { shape[0] / 2, shape[1] / 2, shape[2] / 2 };
		if (c.hasLabel()) centre = foregroundCentre(VolumeIO.readLabels(c.label()), centre);
		return new TestVolume(v, centre, c.image(), id);
	}

	/** The centre of the labeled voxels, so that the test tile and the cover show the structure. */
	private static int[] foregroundCentre(LabelVolume labels, int[] fallback) {
		int[] s = labels.shape();
		byte[] data = labels.data();
		double sx = 0, sy = 0, sz = 0;
		long n = 0;
		for (int i = 0; i < data.length; i++)
			if (data[i] != 0) {
				sx += i % s[0];
				sy += (i / s[0]) % s[1];
				sz += i / (s[0] * s[1]);
				n++;
			}
		return n == 0 ? fallback : new int[] { (int) Math.round(sx / n), (int) Math.round(sy / n), (int) Math.round(sz / n) };
	}

	/**
	 * The tile of size {@code tile} ({x, y, z}) around {@code centre}, inside the volume where it fits; a volume smaller
	 * than the tile is padded by repeating its edge voxels, as the sliding window does. Layout [C, Z, Y, X].
	 */
	static float[] crop(Volume v, int[] centre, int[] tile) {
		int[] shape = v.shape();
		int channels = v.channels();
		int[] start = new int[3];
		for (int a = 0; a < 3; a++) start[a] = Math.max(0, Math.min(centre[a] - tile[a] / 2, shape[a] - tile[a]));
		float[] data = v.data();
		float[] out = new float[channels * tile[0] * tile[1] * tile[2]];
		int i = 0;
		for (int c = 0; c < channels; c++)
			for (int z = 0; z < tile[2]; z++)
				for (int y = 0; y < tile[1]; y++)
					for (int x = 0; x < tile[0]; x++) {
						int sx = Math.min(start[0] + x, shape[0] - 1), sy = Math.min(start[1] + y, shape[1] - 1), sz = Math.min(start[2] + z, shape[2] - 1);
						out[i++] = data[(int) (c * v.voxelsPerChannel() + ((long) sz * shape[1] + sy) * shape[0] + sx)];
					}
		return out;
	}

	private static int[] argmax(float[] probabilities, int classes) {
		int voxels = probabilities.length / classes;
		int[] labels = new int[voxels];
		for (int i = 0; i < voxels; i++) {
			int best = 0;
			for (int k = 1; k < classes; k++) if (probabilities[k * voxels + i] > probabilities[best * voxels + i]) best = k;
			labels[i] = best;
		}
		return labels;
	}

	private static byte[] weightsFile(ModelBundle.Entry entry) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try {
			TorchStateDictWriter.write(entry.weights(), "weights", bytes);
		} catch (IOException e) {
			throw new IllegalStateException("writing to memory failed", e);
		}
		return bytes.toByteArray();
	}

	/** The PyTorch UNet3D, packed into the jar from scripts/reference/ (one source for tests, benchmarks and exports). */
	static byte[] architectureSource() {
		try (InputStream in = BioImageIoExporter.class.getResourceAsStream(ARCHITECTURE_FILE)) {
			if (in == null) throw new IllegalStateException(ARCHITECTURE_FILE + " is missing from the jar: the build did not package it");
			return in.readAllBytes();
		} catch (IOException e) {
			throw new IllegalStateException("cannot read " + ARCHITECTURE_FILE + " from the jar", e);
		}
	}

	private static Map<String, Object> inputDescription(BundleInfo info, int channels, ValidSizes sizes, String sha, Normalization n) {
		List<Object> axes = new ArrayList<>();
		axes.add(map("type", "batch"));
		List<String> names = new ArrayList<>();
		for (int c = 0; c < channels; c++) names.add(channels == 1 ? "image" : "channel" + c);
		axes.add(map("type", "channel", "channel_names", names));
		for (String axis : List.of("z", "y", "x"))
			axes.add(spaceAxis(info, axis, map("min", sizes.min(), "step", sizes.step()), null));
		List<Object> pre = new ArrayList<>();
		pre.add(map("id", "ensure_dtype", "kwargs", map("dtype", "float32")));
		switch (n) {
			// per volume and channel, as in training: every space axis reduced, channels apart
			case MRI -> pre.add(map("id", "zero_mean_unit_variance", "kwargs", map("axes", List.of("z", "y", "x"), "eps", 1e-6)));
			case CT -> {
				double range = Normalization.CT_MAX_HU - Normalization.CT_MIN_HU;
				pre.add(map("id", "clip", "kwargs", map("min", Normalization.CT_MIN_HU, "max", Normalization.CT_MAX_HU)));
				pre.add(map("id", "scale_linear", "kwargs", map("gain", 1 / range, "offset", -Normalization.CT_MIN_HU / range)));
			}
			case NONE -> { }
		}
		return map("id", INPUT_ID, "description", "The raw volume (" + n.description() + " is part of the preprocessing).",
			"axes", axes, "test_tensor", map("source", TEST_INPUT, "sha256", sha), "data", map("type", "float32"), "preprocessing", pre);
	}

	private static Map<String, Object> outputDescription(BundleInfo info, ValidSizes sizes, String sha) {
		List<Object> axes = new ArrayList<>();
		axes.add(map("type", "batch"));
		axes.add(map("type", "channel", "channel_names", channelNames(info.classNames)));
		for (String axis : List.of("z", "y", "x"))
			axes.add(spaceAxis(info, axis, map("tensor_id", INPUT_ID, "axis_id", axis), sizes.halo()));
		return map("id", OUTPUT_ID, "description", "Probability of each class per voxel (softmax of the logits); argmax gives the labels.",
			"axes", axes, "test_tensor", map("source", TEST_OUTPUT, "sha256", sha), "data", map("type", "float32", "range", List.of(0.0, 1.0)),
			"postprocessing", List.of(map("id", "softmax", "kwargs", map("axis", "channel"))));
	}

	private static Map<String, Object> spaceAxis(BundleInfo info, String axis, Map<String, Object> size, Integer halo) {
		Map<String, Object> a = map("type", "space", "id", axis, "size", size);
		if (halo != null) a.put("halo", halo);
		int index = axis.equals("x") ? 0 : axis.equals("y") ? 1 : 2;
		if (info.spacing != null && info.spacing.length == 3 && info.spacing[index] > 0) {
			a.put("unit", "millimeter");
			a.put("scale", info.spacing[index]);
		}
		return a;
	}

	/** Class names as the Python identifiers BioImage.IO wants for channel names, unique. */
	static List<String> channelNames(List<String> classNames) {
		Set<String> names = new LinkedHashSet<>();
		for (int k = 0; k < classNames.size(); k++) {
			String n = classNames.get(k) == null ? "" : classNames.get(k).trim().replaceAll("[^A-Za-z0-9_]+", "_");
			if (n.isEmpty() || n.equals("_")) n = "class" + k;
			if (Character.isDigit(n.charAt(0))) n = "c" + n;
			String unique = n;
			for (int i = 2; names.contains(unique); i++) unique = n + "_" + i;
			names.add(unique);
		}
		return new ArrayList<>(names);
	}

	private static List<String> tags(BundleInfo info) {
		Set<String> tags = new LinkedHashSet<>(List.of("3d", "unet", "semantic-segmentation", "pytorch", "semi-supervised", "m-and-n"));
		if ("mri".equalsIgnoreCase(info.normalization)) tags.add("mri");
		if ("ct".equalsIgnoreCase(info.normalization)) tags.add("ct");
		if (info.datasetName != null) {
			String t = info.datasetName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
			if (!t.isEmpty() && t.length() <= 40) tags.add(t);
		}
		return new ArrayList<>(tags);
	}

	private static String defaultName(BundleInfo info) {
		String data = info.datasetName == null ? "" : info.datasetName.split("[(,]")[0].replaceAll("[^A-Za-z0-9_+\\- ]", " ").trim();
		String name = ("MN 3D UNet " + data).replaceAll(" +", " ").trim();
		return name.length() > 64 ? name.substring(0, 64).trim() : name;
	}

	private static Map<String, Object> provenance(BundleInfo info, String role) {
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("role", role);
		p.put("method", info.method);
		p.put("preset", info.preset);
		p.put("dataset", info.datasetName);
		p.put("split", info.split);
		p.put("labeled_cases", new ArrayList<>(info.labeledCases));
		p.put("epochs", info.epochs);
		p.put("seed", info.seed);
		int[] patch = info.window().patch;
		if (patch != null) p.put("patch_size_xyz", List.of(patch[0], patch[1], patch[2]));
		p.put("normalization", info.normalization);
		p.put("code_version", info.codeVersion);
		return p;
	}

	/** The test metrics {@code mn train} wrote next to the bundle ({@code metrics.json}), if any. */
	private static JsonObject metricsNextTo(Path bundle) {
		Path parent = bundle.toAbsolutePath().getParent();
		Path file = parent == null ? null : parent.resolve("metrics.json");
		if (file == null || !Files.isRegularFile(file)) return null;
		try {
			JsonElement e = Json.GSON.fromJson(Files.readString(file), JsonElement.class);
			return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
		} catch (IOException | RuntimeException e) {
			return null; // metrics are a courtesy in the README; an unreadable file leaves them out
		}
	}

	/**
	 * The bundle's creation time as BioImage.IO reads it (Python's {@code datetime.fromisoformat}: at most 6
	 * fractional digits, an explicit offset rather than "Z"); null when the bundle has none or an unreadable one.
	 */
	static String timestamp(String created) {
		if (created == null) return null;
		try {
			return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").format(Instant.parse(created).atOffset(ZoneOffset.UTC));
		} catch (DateTimeException e) {
			return null;
		}
	}

	private static String truncate(String s, int max) {
		return s.length() <= max ? s : s.substring(0, max - 3) + "...";
	}

	/** An ordered map from alternating keys and values. */
	static Map<String, Object> map(Object... keysAndValues) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
		return m;
	}
}
