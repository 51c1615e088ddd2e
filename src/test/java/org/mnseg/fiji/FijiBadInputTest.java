package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.mnseg.data.Geometry;
import org.mnseg.data.Volume;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.FileChecksums;
import org.mnseg.testutil.FileTrees;

import ij.ImagePlus;
import ij.plugin.PlugIn;

/**
 * BadInputSuiteTest's hostile user at Fiji's dialogs: bad inputs reachable from M&N Co-Train and M&N Segment, each run
 * headless through the plugin and its macro options (as a macro or {@code --headless} Fiji runs them). Every one must
 * log exactly one "error:" line in the dialog's words with the case's key words and no stack trace, and leave every
 * file that existed before byte for byte; only folders named {@code new-*} (an output folder the refused command was
 * about to use) may gain files.
 */
@RunWith(Parameterized.class)
public class FijiBadInputTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	/** The files and images the cases refer to, built once. */
	static final class Fixture {
		Path root, data, model, notABundle, aFile, missingCaseJson, nanFolder, earlierResults;

		String s(Path p) {
			return p.toString();
		}

		/** An output folder that does not exist yet. */
		String fresh(String name) {
			return root.resolve("new-" + name).toString();
		}
	}

	private static final Fixture F = new Fixture();

	/** One bad input: the plugin, its macro options, the images open meanwhile, and words its message must hold. */
	record Case(String name, Supplier<PlugIn> plugin, Function<Fixture, String> options, Supplier<List<ImagePlus>> open, String... keyWords) {
		@Override
		public String toString() {
			return name;
		}
	}

	@BeforeClass
	public static void buildInputs() throws Exception {
		Fixture f = F;
		f.root = tmp.getRoot().toPath();
		// copies, so that the files the cases point at lie under the checked root
		f.model = f.root.resolve("run/model.mnmodel");
		Files.createDirectories(f.model.getParent());
		Files.copy(TinyModel.bundle(), f.model);
		f.data = f.root.resolve("data");
		FileTrees.copy(TinyModel.dataset(), f.data);
		f.notABundle = f.root.resolve("text.mnmodel");
		Files.writeString(f.notABundle, "not a model\n");
		f.aFile = f.root.resolve("a-file");
		Files.writeString(f.aFile, "a file where a folder belongs\n");
		f.missingCaseJson = f.root.resolve("json/dataset.json");
		Files.createDirectories(f.missingCaseJson.getParent());
		Files.writeString(f.missingCaseJson, "{\"labels\": {\"0\": \"bg\", \"1\": \"fg\"}, \"split\": {\"train\": [\"gone\"]}}");
		f.nanFolder = f.root.resolve("nan");
		Files.createDirectories(f.nanFolder);
		Volume v = VolumeIO.readImage(f.data.resolve("images/case00.nii.gz"));
		v.data()[5] = Float.NaN;
		v.data()[7] = Float.POSITIVE_INFINITY;
		VolumeIO.writeImage(v, f.nanFolder.resolve("nan.nii.gz"));
		// what an earlier Segment of the image titled "img" saved there
		f.earlierResults = f.root.resolve("earlier");
		Files.createDirectories(f.earlierResults);
		Files.writeString(f.earlierResults.resolve("img" + LabelImages.LABELS_SUFFIX + ".tif"), "an earlier result\n");
	}

	// the images a case has open: built per case, from the synthetic data set
	private static ImagePlus image(String title) {
		return ImagePlusConverter.fromVolume(VolumeIO.readImage(F.data.resolve("images/case00.nii.gz")), title);
	}

	private static ImagePlus labels(String title) {
		return ImagePlusConverter.fromLabels(VolumeIO.readLabels(F.data.resolve("labels/case00.nii.gz")), title);
	}

	/** A label image of another size than {@link #image}. */
	private static ImagePlus smallLabels(String title) {
		byte[] l = new byte[8 * 8 * 4];
		return ImagePlusConverter.fromLabels(org.mnseg.data.LabelVolume.wrap(l, new int[] { 8, 8, 4 }, new Geometry(new double[] { 1, 1, 2 }, null)),
			title);
	}

	/** A 32-bit "label" image with fractions: a probability map given as labels. */
	private static ImagePlus fractionalLabels(String title) {
		Volume v = VolumeIO.readImage(F.data.resolve("images/case00.nii.gz"));
		float[] d = v.data();
		for (int i = 0; i < d.length; i++) d[i] = (i % 3) * 0.5f;
		return ImagePlusConverter.fromVolume(v, title);
	}

	/** An image with 2 NaN voxels and 1 infinite one. */
	private static ImagePlus nanImage(String title) {
		Volume v = VolumeIO.readImage(F.data.resolve("images/case00.nii.gz"));
		v.data()[0] = Float.NaN;
		v.data()[1] = Float.NaN;
		v.data()[2] = Float.NEGATIVE_INFINITY;
		return ImagePlusConverter.fromVolume(v, title);
	}

	/** A two-channel image (the model takes one). */
	private static ImagePlus twoChannels(String title) {
		Volume v = VolumeIO.readImage(F.data.resolve("images/case00.nii.gz"));
		int[] s = v.shape();
		float[] two = new float[v.data().length * 2];
		System.arraycopy(v.data(), 0, two, 0, v.data().length);
		System.arraycopy(v.data(), 0, two, v.data().length, v.data().length);
		return ImagePlusConverter.fromVolume(Volume.wrap(two, new long[] { s[0], s[1], s[2], 2 }, v.geometry()), title);
	}

	private static Supplier<List<ImagePlus>> none() {
		return List::of;
	}

	private static String train(String rest) {
		return "labeled=[" + CoTrainSettings.PAIRS + "] method=labeled-only architecture=unet3d preset=cpu epochs=1 options=[" + TinyModel.OPTIONS
			+ "] " + rest;
	}

	private static String trainFolder(String dataset, String rest) {
		return "labeled=folder dataset=[" + dataset + "] method=labeled-only architecture=unet3d preset=cpu epochs=1 options=[" + TinyModel.OPTIONS
			+ "] " + rest;
	}

	@Parameters(name = "{0}")
	public static List<Case> cases() {
		List<Case> c = new ArrayList<>();
		Supplier<PlugIn> coTrain = CoTrainPlugin::new, segment = SegmentPlugin::new;
		String ct = "M&N Co-Train", sg = "M&N Segment";

		// M&N Co-Train, open image pairs
		c.add(new Case("co-train: no image open", coTrain, f -> train("images=[] labels=[] output=[" + f.fresh("t") + "]"), none(), ct, "Images"));
		c.add(new Case("co-train: image not open", coTrain, f -> train("images=[gone] labels=[gone-labels] output=[" + f.fresh("t") + "]"), none(), ct,
			"'gone'", "not an open image"));
		c.add(new Case("co-train: fewer labels than images", coTrain, f -> train("images=[i1,i2] labels=[l1] output=[" + f.fresh("t") + "]"),
			() -> List.of(image("i1"), image("i2"), labels("l1")), ct, "'Images'", "'Labels'"));
		c.add(new Case("co-train: label image of another size", coTrain, f -> train("images=[img] labels=[small] output=[" + f.fresh("t") + "]"),
			() -> List.of(image("img"), smallLabels("small")), ct, "'img'", "'small'"));
		c.add(new Case("co-train: label image with fractions", coTrain, f -> train("images=[img] labels=[probs] output=[" + f.fresh("t") + "]"),
			() -> List.of(image("img"), fractionalLabels("probs")), ct, "probs"));
		c.add(new Case("co-train: label image is RGB", coTrain, f -> train("images=[img] labels=[rgb] output=[" + f.fresh("t") + "]"),
			() -> List.of(image("img"), rgb("rgb")), ct, "rgb", "RGB"));
		c.add(new Case("co-train: image with NaN voxels", coTrain, f -> train("images=[nan] labels=[lab] output=[" + f.fresh("t") + "]"),
			() -> List.of(nanImage("nan"), labels("lab")), ct, "The image 'nan'", "3 of", "NaN or infinite", "'replace-nan' (in Options)"));
		c.add(new Case("co-train: unlabeled folder with a NaN volume", coTrain, f -> train("images=[img] labels=[lab] folder=[" + f.s(f.nanFolder)
			+ "] output=[" + f.fresh("t") + "]"), () -> List.of(image("img"), labels("lab")), ct, "nan" + java.io.File.separator + "nan.nii.gz", "2 of",
			"'replace-nan' (in Options)"));
		c.add(new Case("co-train: output folder is a file", coTrain, f -> train("images=[img] labels=[lab] output=[" + f.s(f.aFile) + "]"),
			() -> List.of(image("img"), labels("lab")), ct, "a-file", "is a file"));
		c.add(new Case("co-train: no output folder", coTrain, f -> train("images=[img] labels=[lab]"), () -> List.of(image("img"), labels("lab")), ct,
			"output folder"));
		c.add(new Case("co-train: resume without checkpoint", coTrain, f -> train("images=[img] labels=[lab] resume output=[" + f.fresh("t") + "]"),
			() -> List.of(image("img"), labels("lab")), ct, "Resume", "no checkpoint"));
		c.add(new Case("co-train: unknown option", coTrain, f -> train("images=[img] labels=[lab] output=[" + f.fresh("t") + "]").replace("options=[",
			"options=[learning-rate=3 "), () -> List.of(image("img"), labels("lab")), ct, "'learning-rate'"));
		c.add(new Case("co-train: option out of range", coTrain, f -> train("images=[img] labels=[lab] output=[" + f.fresh("t") + "]").replace("options=[",
			"options=[lr3d=-1 "), () -> List.of(image("img"), labels("lab")), ct, "'lr3d'"));
		c.add(new Case("co-train: replace-nan not a number", coTrain, f -> train("images=[img] labels=[lab] output=[" + f.fresh("t") + "]")
			.replace("options=[", "options=[replace-nan=zero "), () -> List.of(image("img"), labels("lab")), ct, "'replace-nan'", "'zero'"));
		c.add(new Case("co-train: negative epochs", coTrain, f -> train("images=[img] labels=[lab] output=[" + f.fresh("t") + "]").replace("epochs=1",
			"epochs=-2"), () -> List.of(image("img"), labels("lab")), ct, "Epochs"));
		c.add(new Case("co-train: output holds an earlier run", coTrain, f -> train("images=[img] labels=[lab] output=[" + f.s(f.model.getParent()) + "]"),
			() -> List.of(image("img"), labels("lab")), ct, "earlier run", "model.mnmodel", "another output folder"));

		// M&N Co-Train, a data set folder
		c.add(new Case("co-train: data set folder missing", coTrain, f -> trainFolder(f.s(f.root.resolve("no-such-data")), "output=[" + f.fresh("t") + "]"),
			none(), ct, "no-such-data"));
		c.add(new Case("co-train: dataset.json names a missing file", coTrain, f -> trainFolder(f.s(f.missingCaseJson), "output=[" + f.fresh("t") + "]"),
			none(), ct, "'gone'"));
		c.add(new Case("co-train: subset larger than the data set", coTrain, f -> trainFolder(f.s(f.data), "subset=99 output=[" + f.fresh("t") + "]"),
			none(), ct, "99"));
		c.add(new Case("co-train: subset not a number", coTrain, f -> trainFolder(f.s(f.data), "subset=some output=[" + f.fresh("t") + "]"), none(), ct,
			"Subset", "'some'"));
		c.add(new Case("co-train: data set is an image file", coTrain, f -> trainFolder(f.s(f.data.resolve("images/case00.nii.gz")), "output=["
			+ f.fresh("t") + "]"), none(), ct, "case00.nii.gz"));

		// M&N Segment
		c.add(new Case("segment: no image open", segment, f -> "model=[" + f.s(f.model) + "] input=[" + SegmentSettings.CURRENT_IMAGE + "]", none(), sg,
			"no open image"));
		c.add(new Case("segment: model file missing", segment, f -> "model=[" + f.s(f.root.resolve("gone.mnmodel")) + "] input=["
			+ SegmentSettings.CURRENT_IMAGE + "]", () -> List.of(image("img")), sg, "gone.mnmodel", "does not exist"));
		c.add(new Case("segment: model is not a bundle", segment, f -> "model=[" + f.s(f.notABundle) + "] input=[" + SegmentSettings.CURRENT_IMAGE + "]",
			() -> List.of(image("img")), sg, "text.mnmodel"));
		c.add(new Case("segment: model is a folder", segment, f -> "model=[" + f.s(f.model.getParent()) + "] input=[" + SegmentSettings.CURRENT_IMAGE
			+ "]", () -> List.of(image("img")), sg, "is a folder", "model.mnmodel"));
		c.add(new Case("segment: image with NaN voxels", segment, f -> "model=[" + f.s(f.model) + "] input=[" + SegmentSettings.CURRENT_IMAGE + "]",
			() -> List.of(nanImage("nan image")), sg, "'nan image'", "3 of", "NaN or infinite", "'NaN voxels become'"));
		c.add(new Case("segment: NaN replacement not a number", segment, f -> "model=[" + f.s(f.model) + "] input=[" + SegmentSettings.CURRENT_IMAGE
			+ "] replacenan=zero", () -> List.of(nanImage("nan image")), sg, "'NaN voxels become'", "'zero'"));
		c.add(new Case("segment: image's results exist", segment, f -> "model=[" + f.s(f.model) + "] input=[" + SegmentSettings.CURRENT_IMAGE
			+ "] output=[" + f.s(f.earlierResults) + "]", () -> List.of(image("img")), sg, "img-labels.tif", "exist already", "Overwrite"));
		c.add(new Case("segment: folder's results exist", segment, f -> "model=[" + f.s(f.model) + "] input=folder folder=[" + f.s(f.data.resolve("images"))
			+ "] output=[" + f.s(f.data.resolve("labels")) + "]", none(), sg, "exist already", "Overwrite"));
		c.add(new Case("segment: image with two channels", segment, f -> "model=[" + f.s(f.model) + "] input=[" + SegmentSettings.CURRENT_IMAGE + "]",
			() -> List.of(twoChannels("two")), sg, "2 channel"));
		c.add(new Case("segment: output folder is a file", segment, f -> "model=[" + f.s(f.model) + "] input=[" + SegmentSettings.CURRENT_IMAGE
			+ "] output=[" + f.s(f.aFile) + "]", () -> List.of(image("img")), sg, "a-file", "is a file"));
		c.add(new Case("segment: folder missing", segment, f -> "model=[" + f.s(f.model) + "] input=folder folder=[" + f.s(f.root.resolve("no-such"))
			+ "] output=[" + f.fresh("s") + "]", none(), sg, "no-such", "does not exist"));
		c.add(new Case("segment: folder without output", segment, f -> "model=[" + f.s(f.model) + "] input=folder folder=[" + f.s(f.data.resolve("images"))
			+ "]", none(), sg, "output folder"));
		c.add(new Case("segment: folder into itself", segment, f -> "model=[" + f.s(f.model) + "] input=folder folder=[" + f.s(f.data.resolve("images"))
			+ "] output=[" + f.s(f.data.resolve("images")) + "]", none(), sg, "would replace the input"));
		c.add(new Case("segment: folder into a file", segment, f -> "model=[" + f.s(f.model) + "] input=folder folder=[" + f.s(f.data.resolve("images"))
			+ "] output=[" + f.s(f.aFile) + "]", none(), sg, "a-file", "is a file"));
		c.add(new Case("segment: folder with a NaN volume", segment, f -> "model=[" + f.s(f.model) + "] input=folder folder=[" + f.s(f.nanFolder)
			+ "] output=[" + f.fresh("s") + "]", none(), sg, "nan.nii.gz", "2 of", "NaN or infinite", "'NaN voxels become'"));
		return c;
	}

	private static ImagePlus rgb(String title) {
		return new ImagePlus(title, new ij.process.ColorProcessor(24, 20));
	}

	private final Case c;

	public FijiBadInputTest(Case c) {
		this.c = c;
	}

	private static Map<String, String> snapshot() {
		return new TreeMap<>(FileChecksums.of(F.root));
	}

	@Test
	public void oneMessageInDialogWordsAndNothingChanged() throws Exception {
		Map<String, String> before = snapshot();
		PrintStream out = System.out, err = System.err;
		ByteArrayOutputStream log = new ByteArrayOutputStream();
		PrintStream capture = new PrintStream(log, true, StandardCharsets.UTF_8);
		System.setOut(capture);
		System.setErr(capture);
		try {
			FijiCommandsTest.withOpenImages(c.open().get(), () -> FijiCommandsTest.runWithOptions(c.plugin().get(), c.options().apply(F)));
		} finally {
			System.setOut(out);
			System.setErr(err);
		}
		String text = log.toString(StandardCharsets.UTF_8);
		List<String> errors = text.lines().filter(l -> l.contains(" error: ")).toList();
		assertEquals(c + ": not one error line:\n" + text, 1, errors.size());
		String line = errors.get(0);
		System.out.println(c + ": " + line); // the messages, for a reader of the test's output
		assertTrue(c + ": a trace:\n" + text, !text.contains("\tat ") && !text.contains("Exception") && !text.contains("java.lang."));
		assertTrue(c + ": " + line, line.startsWith(c.keyWords()[0] + " error: "));
		for (String k : c.keyWords()) assertTrue(c + ": '" + k + "' missing in: " + line, line.contains(k));
		assertTrue(c + ": names a command-line flag: " + line, !line.matches(".*--[a-z].*"));
		Map<String, String> after = snapshot();
		before.forEach((file, sum) -> assertEquals(c + ": " + file + " changed or vanished", sum, after.get(file)));
		for (String file : after.keySet())
			assertTrue(c + ": wrote " + file, before.containsKey(file) || file.startsWith("new-"));
	}
}
