package org.mnseg.export;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.BundleInfo;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.cli.Main;
import org.mnseg.data.Geometry;
import org.mnseg.data.Volume;
import org.mnseg.io.VolumeIO;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;
import org.mnseg.nn.UNet3D;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * BioImage.IO export: the package follows the format, opens with plain zip tools, and PyTorch (Debian's
 * python3-torch), reading only the package's description, architecture source and state dict, reproduces the test
 * output the Java network computed, for the {@code cpu} and {@code paper} UNets and for 2- and 3-class models.
 * Networks have random weights: what is checked is the translation, not a training.
 */
public class BioImageIoExportTest {
	private static final Path PYTHON = Paths.get("/usr/bin/python3");
	private static final Path CHECKER = Paths.get("scripts/reference/check_bioimageio_export.py");

	@ClassRule
	public static final TemporaryFolder TMP = new TemporaryFolder();

	/** The exports, by configuration: the cpu preset's UNet (3 classes, MRI), the paper's (2 classes, CT), cpu without normalisation (2 classes). */
	private static final Map<String, Path> EXPORTS = new LinkedHashMap<>();
	private static Path data;

	@BeforeClass
	public static void export() throws IOException {
		data = SyntheticDataset.write(TMP.newFolder("data").toPath(), 2, 0, 7);
		// the cpu preset's UNet, with the test volume taken from the bundle's own data set (smaller than the tile: edge padding)
		EXPORTS.put("cpu-3-classes-mri", exportOf("cpu", 4, 16, 3, "mri", new int[] { 32, 48, 32 }, null, v -> v * 100 + 500));
		// the paper's UNet on a small tile, with a given CT volume reaching past both ends of the HU window
		EXPORTS.put("paper-2-classes-ct", exportOf("paper", 5, 32, 2, "ct", new int[] { 32, 32, 32 }, "ct.nii.gz", v -> v * 200 - 250));
		EXPORTS.put("cpu-2-classes-none", exportOf("cpu", 4, 16, 2, "none", new int[] { 16, 24, 16 }, "none.nii.gz", v -> v));
	}

	interface Intensity {
		float map(float v);
	}

	private static Path exportOf(String preset, int levels, int filters, int classes, String normalization, int[] patch, String volumeName,
		Intensity intensity) throws IOException {
		Path dir = TMP.newFolder(preset + classes + normalization).toPath();
		Path bundleFile = dir.resolve("model.mnmodel");
		BundleInfo info = new BundleInfo();
		info.method = "labeled-only";
		info.classNames = new ArrayList<>(List.of("background", "ball", "box").subList(0, classes));
		info.window = new BundleInfo.Window(patch, 0.5, "uniform", 8);
		info.normalization = normalization;
		info.spacing = new double[] { 1, 1, 2 };
		info.preset = preset;
		info.dataset = data.toString();
		info.datasetName = "synthetic balls and boxes";
		info.labeled = 2;
		info.labeledCases = new ArrayList<>(List.of("case00", "case01"));
		info.seed = 3;
		info.created = java.time.Instant.now().toString();
		ModelBundle bundle = new ModelBundle(info);
		try (NDManager m = NDManager.newBaseManager(); UNet3D net = new UNet3D(m, 1, classes, levels, filters, 11 + classes)) {
			bundle.put("3d", net);
		}
		bundle.save(bundleFile);
		Path volume = null;
		if (volumeName != null) {
			// the synthetic case00 (noise, a ball, a box) with the intensities mapped to the modality's range
			Volume v = VolumeIO.readImage(data.resolve("images/case00.nii.gz"));
			float[] values = v.data().clone();
			for (int i = 0; i < values.length; i++) values[i] = intensity.map(values[i]);
			int[] s = v.shape();
			volume = dir.resolve(volumeName);
			VolumeIO.writeImage(Volume.wrap(values, new long[] { s[0], s[1], s[2] }, new Geometry(new double[] { 1, 1, 2 }, null)), volume);
		} else {
			// mri: rewrite the data set's first case at MRI-like intensities (the exporter reads it from the data set)
			Path image = data.resolve("images/case00.nii.gz");
			Volume v = VolumeIO.readImage(image);
			float[] values = v.data().clone();
			for (int i = 0; i < values.length; i++) values[i] = intensity.map(values[i]);
			int[] s = v.shape();
			VolumeIO.writeImage(Volume.wrap(values, new long[] { s[0], s[1], s[2] }, v.geometry()), image);
		}
		Path out = dir.resolve("model.zip");
		BioImageIoExporter.export(new ExportSettings(bundleFile, out, null, volume, null, List.of("Test Author"), null, false));
		return out;
	}

	@Test
	public void descriptionFollowsTheFormat() throws IOException {
		for (Map.Entry<String, Path> e : EXPORTS.entrySet()) {
			Map<String, byte[]> files = unzip(e.getValue());
			List<String> problems = BioImageIoFormat.check(files);
			assertTrue(e.getKey() + ": " + String.join("; ", problems), problems.isEmpty());
			assertEquals(List.of("bioimageio.yaml", "README.md", "cover.png", "unet3d_torch.py", "weights.pt", "test_input.npy", "test_output.npy"),
				new ArrayList<>(files.keySet()));
		}
	}

	@Test
	public void descriptionStatesTheBundlesNormalisationAndSizes() throws IOException {
		Map<String, Object> cpu = BioImageIoFormat.parse(unzip(EXPORTS.get("cpu-3-classes-mri")).get("bioimageio.yaml"));
		Map<?, ?> input = (Map<?, ?>) ((List<?>) cpu.get("inputs")).get(0);
		assertEquals("[{id=ensure_dtype, kwargs={dtype=float32}}, {id=zero_mean_unit_variance, kwargs={axes=[z, y, x], eps=1.0E-6}}]",
			input.get("preprocessing").toString());
		// 4 levels: sizes are multiples of 8, at least 16; halo 4
		assertEquals("{min=16, step=8}", ((Map<?, ?>) ((List<?>) input.get("axes")).get(2)).get("size").toString());
		Map<?, ?> output = (Map<?, ?>) ((List<?>) cpu.get("outputs")).get(0);
		assertEquals(4, ((Map<?, ?>) ((List<?>) output.get("axes")).get(4)).get("halo"));
		assertEquals("[background, ball, box]", ((Map<?, ?>) ((List<?>) output.get("axes")).get(1)).get("channel_names").toString());
		assertEquals("[{id=softmax, kwargs={axis=channel}}]", output.get("postprocessing").toString());
		Map<?, ?> arch = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) cpu.get("weights")).get("pytorch_state_dict")).get("architecture");
		assertEquals("{in_channels=1, num_classes=3, levels=4, base_filters=16}", arch.get("kwargs").toString());

		Map<String, Object> paper = BioImageIoFormat.parse(unzip(EXPORTS.get("paper-2-classes-ct")).get("bioimageio.yaml"));
		Map<?, ?> ctInput = (Map<?, ?>) ((List<?>) paper.get("inputs")).get(0);
		List<?> pre = (List<?>) ctInput.get("preprocessing");
		assertEquals("{id=clip, kwargs={min=-175.0, max=250.0}}", pre.get(1).toString());
		Map<?, ?> scale = (Map<?, ?>) ((Map<?, ?>) pre.get(2)).get("kwargs");
		assertEquals(1 / 425.0, ((Number) scale.get("gain")).doubleValue(), 1e-15);
		assertEquals(175 / 425.0, ((Number) scale.get("offset")).doubleValue(), 1e-15);
		// 5 levels: multiples of 16, at least 32
		assertEquals("{min=32, step=16}", ((Map<?, ?>) ((List<?>) ctInput.get("axes")).get(4)).get("size").toString());
		// the README says how the model was trained
		String readme = new String(unzip(EXPORTS.get("paper-2-classes-ct")).get("README.md"), StandardCharsets.UTF_8);
		assertTrue(readme, readme.contains("| labeled cases | 2: case00, case01 |") && readme.contains("| preset | paper |") && readme.contains("## Validation"));
	}

	@Test
	public void zipOpensWithPlainZipTools() throws Exception {
		Path unzip = Paths.get("/usr/bin/unzip");
		assumeTrue("skipped: /usr/bin/unzip not installed (apt-get install unzip)", Files.isExecutable(unzip));
		for (Path zip : EXPORTS.values()) {
			Process p = new ProcessBuilder(unzip.toString(), "-t", zip.toString()).redirectErrorStream(true).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertEquals(out, 0, p.waitFor());
			assertTrue(out, out.contains("No errors detected"));
			// the weights are a zip in their own right (torch.save's container)
			Path weights = TMP.newFile().toPath();
			Files.write(weights, unzip(zip).get("weights.pt"));
			Process w = new ProcessBuilder(unzip.toString(), "-t", weights.toString()).redirectErrorStream(true).start();
			String wout = new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertEquals(wout, 0, w.waitFor());
			assertTrue(wout, wout.contains("weights/data.pkl") && wout.contains("weights/version") && wout.contains("weights/byteorder"));
		}
	}

	/**
	 * scripts/reference/check_bioimageio_export.py on every export, in one Python process (PyTorch loads once): a
	 * description-driven PyTorch run whose output must match the test output within 1e-4, for each configuration.
	 */
	@Test
	public void pytorchReproducesTheTestOutputOfEveryConfiguration() throws Exception {
		assumeTrue("skipped: " + PYTHON + " with torch, numpy and yaml not found (apt-get install python3-torch python3-yaml)", pythonWithTorch());
		List<String> command = new ArrayList<>(List.of(PYTHON.toString(), CHECKER.toString(), "--tolerance", "1e-4"));
		for (Path zip : EXPORTS.values()) command.add(zip.toString());
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue("python timed out", p.waitFor(300, TimeUnit.SECONDS));
		System.out.println(out.strip());
		assertEquals(out, 0, p.exitValue());
		for (Path zip : EXPORTS.values()) assertTrue("no result for " + zip + ": " + out, out.contains("{\"model\": \"" + zip + "\", \"max_abs_diff\""));
	}

	private static Boolean pythonOk;

	private static synchronized boolean pythonWithTorch() throws Exception {
		if (pythonOk == null) {
			pythonOk = false;
			if (Files.isExecutable(PYTHON)) {
				Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy, yaml").redirectErrorStream(true).start();
				p.getInputStream().readAllBytes();
				pythonOk = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
			}
		}
		return pythonOk;
	}

	@Test
	public void refusesAnotherArchitecture() throws IOException {
		Path dir = TMP.newFolder("other").toPath();
		ModelBundle bundle = new ModelBundle(new BundleInfo());
		bundle.info().classNames = new ArrayList<>(List.of("background", "thing"));
		try (NDManager m = NDManager.newBaseManager(); Network net = new OtherNetwork(m)) {
			bundle.put("3d", net);
		}
		Path file = dir.resolve("model.mnmodel");
		bundle.save(file);
		try {
			BioImageIoExporter.export(new ExportSettings(file, dir.resolve("out.zip"), null, null, null, null, null, false));
			fail("exported a " + OtherNetwork.ARCHITECTURE);
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("is a vnet3d; only the 3D UNet (unet3d) can be exported")
				&& e.getMessage().contains("this bundle holds none"));
		}
		assertFalse(Files.exists(dir.resolve("out.zip")));
	}

	@Test
	public void commandLineExportsAndRefusesToOverwrite() throws IOException {
		Path bundle = EXPORTS.get("cpu-2-classes-none").resolveSibling("model.mnmodel");
		Path volume = EXPORTS.get("cpu-2-classes-none").resolveSibling("none.nii.gz");
		Path out = TMP.newFolder("cli").toPath().resolve("exported.zip");
		Result first = mn("export", "--model", bundle.toString(), "--out", out.toString(), "--volume", volume.toString(), "--name", "Balls and boxes",
			"--authors", "A. Person; B. Person", "--license", "MIT");
		assertEquals(first.err, 0, first.code);
		assertTrue(first.out, first.out.startsWith("wrote " + out));
		Map<String, Object> d = BioImageIoFormat.parse(unzip(out).get("bioimageio.yaml"));
		assertEquals("Balls and boxes", d.get("name"));
		assertEquals("MIT", d.get("license"));
		assertEquals("[{name=A. Person}, {name=B. Person}]", d.get("authors").toString());
		long size = Files.size(out);

		Result again = mn("export", "--model", bundle.toString(), "--out", out.toString(), "--volume", volume.toString());
		assertEquals(2, again.code);
		assertEquals(again.err, 1, again.err.strip().lines().count());
		assertTrue(again.err, again.err.contains("already exists") && again.err.contains("--overwrite"));
		assertEquals(size, Files.size(out));
		Result overwrite = mn("export", "--model", bundle.toString(), "--out", out.toString(), "--volume", volume.toString(), "--overwrite");
		assertEquals(overwrite.err, 0, overwrite.code);

		for (String[] bad : new String[][] { { "export", "--model", bundle.toString() }, { "export", "--model", bundle.toString(), "--out", "x.tif" },
			{ "export", "--model", bundle.toString(), "--out", out.resolveSibling("y.zip").toString(), "--name", "M&N" },
			{ "export", "--model", bundle.toString(), "--out", out.resolveSibling("z.zip").toString(), "--role", "2d" },
			{ "export", "--model", bundle.toString(), "--out", out.resolveSibling("w.zip").toString(), "--colour", "red" } }) {
			Result r = mn(bad);
			assertEquals(String.join(" ", bad) + ": " + r.err, 2, r.code);
			assertEquals(r.err, 1, r.err.strip().lines().count());
			assertFalse(r.err, r.err.contains("Exception"));
		}
		Result help = mn("export", "--help");
		assertEquals(0, help.code);
		assertTrue(help.out, help.out.contains("--overwrite") && help.out.contains("--volume"));
	}

	@Test
	public void withoutAReadableDataSetAVolumeIsAskedFor() throws IOException {
		Path dir = TMP.newFolder("nodata").toPath();
		BundleInfo info = new BundleInfo();
		info.classNames = new ArrayList<>(List.of("background", "thing"));
		info.window = new BundleInfo.Window(new int[] { 16, 16, 16 }, 0.5, "uniform", 8);
		info.normalization = "none";
		info.dataset = dir.resolve("gone").toString();
		info.labeledCases = new ArrayList<>(List.of("case00"));
		ModelBundle bundle = new ModelBundle(info);
		try (NDManager m = NDManager.newBaseManager(); UNet3D net = new UNet3D(m, 1, 2, 2, 4, 1)) {
			bundle.put("3d", net);
		}
		Path file = dir.resolve("model.mnmodel");
		bundle.save(file);
		try {
			BioImageIoExporter.export(new ExportSettings(file, dir.resolve("out.zip"), null, null, null, null, null, false));
			fail("exported without a test volume");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("cannot be read here") && e.getMessage().contains("--volume"));
		}
	}

	@Test
	public void validSizesFollowTheDepth() {
		assertEquals(new BioImageIoExporter.ValidSizes(16, 8, 4), BioImageIoExporter.validSizes(4));
		assertEquals(new BioImageIoExporter.ValidSizes(32, 16, 8), BioImageIoExporter.validSizes(5));
		for (int levels = 1; levels <= 7; levels++) {
			BioImageIoExporter.ValidSizes s = BioImageIoExporter.validSizes(levels);
			assertEquals(1 << (levels - 1), s.step());
			assertEquals(0, s.min() % s.step());
			assertTrue(s.min() >= 2 * s.step() && s.min() - 2 * s.halo() >= 1 && s.halo() % 2 == 0);
		}
	}

	@Test
	public void timestampIsWhatPythonReads() {
		assertEquals("2026-11-29T21:34:20+00:00", BioImageIoExporter.timestamp("2026-11-29T21:34:20.080548730Z"));
		assertEquals(null, BioImageIoExporter.timestamp("yesterday"));
	}

	@Test
	public void channelNamesBecomeIdentifiers() {
		assertEquals(List.of("background", "anterior_hippocampus", "c2nd", "background_2", "class4"),
			BioImageIoExporter.channelNames(List.of("background", "anterior hippocampus", "2nd", "background", "??")));
	}

	record Result(int code, String out, String err) {}

	private static Result mn(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private static final Map<Path, Map<String, byte[]>> UNZIPPED = new java.util.concurrent.ConcurrentHashMap<>();

	/** The package's files (read once per package: the paper UNet's weights are 90 MB). */
	static Map<String, byte[]> unzip(Path zip) throws IOException {
		Map<String, byte[]> cached = UNZIPPED.get(zip);
		if (cached != null && EXPORTS.containsValue(zip)) return cached;
		Map<String, byte[]> files = new LinkedHashMap<>();
		try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;) files.put(e.getName(), in.readAllBytes());
		}
		if (EXPORTS.containsValue(zip)) UNZIPPED.put(zip, files);
		return files;
	}

	/** A stand-in for a 3D network of another architecture: only its name matters to the exporter. */
	private static final class OtherNetwork implements Network {
		static final String ARCHITECTURE = "vnet3d";
		private final NDManager manager;
		private final List<Param> params;

		OtherNetwork(NDManager parent) {
			manager = parent.newSubManager();
			params = List.of(new Param("w", manager.ones(new ai.djl.ndarray.types.Shape(1))));
		}

		@Override
		public String architecture() {
			return ARCHITECTURE;
		}

		@Override
		public Map<String, Object> config() {
			return Map.of();
		}

		@Override
		public int spatialDims() {
			return 3;
		}

		@Override
		public int inChannels() {
			return 1;
		}

		@Override
		public int numClasses() {
			return 2;
		}

		@Override
		public NDArray forward(NDArray input, boolean training) {
			throw new UnsupportedOperationException("not run by the exporter");
		}

		@Override
		public List<Param> params() {
			return params;
		}

		@Override
		public NDManager manager() {
			return manager;
		}
	}
}
