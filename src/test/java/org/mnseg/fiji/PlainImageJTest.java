package org.mnseg.fiji;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.imagej.ImagePlusConverter;
import org.mnseg.io.VolumeIO;

import ij.IJ;
import ij.ImagePlus;

/**
 * M&amp;N in plain ImageJ 1.x, started as {@code java -jar ij.jar} on a folder where the update site is installed:
 * only ij.jar is on the class path, the plugin and the engine come from {@code plugins/} and {@code jars/} through
 * ImageJ's plugin class loader, and the engine must still be found (it once was not: "Deep learning engine not found").
 */
public class PlainImageJTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** A model of format 1 with an image and the labels it gives (see SegmenterTest). */
	static final Path FIXTURES = Paths.get("src/test/resources/fixtures/bundle");

	@Test
	public void segmentFromAMacroFindsTheEngineInJarsAndSavesTheLabels() throws Exception {
		Path imagej = InstalledSite.plainImageJ(tmp.newFolder("install").toPath());
		Path tiff = tmp.newFolder("in").toPath().resolve("format1-image.tif");
		VolumeIO.writeImage(VolumeIO.readImage(FIXTURES.resolve("format1-image.nii.gz")), tiff);
		Path out = tmp.newFolder("out").toPath();
		Path macro = tmp.newFile("segment.ijm").toPath();
		Files.writeString(macro, String.join("\n", "setBatchMode(true);", "open(\"" + tiff + "\");",
			"run(\"M&N Segment\", \"model=[" + FIXTURES.resolve("format1.mnmodel").toAbsolutePath() + "] input=[current image] output=[" + out + "]\");",
			"print(\"macro finished\");", ""));
		Path engineCache = tmp.newFolder("engine-cache").toPath();
		ImageJProcess.Result r = ImageJProcess.runImageJJar(imagej, engineCache, 300, "-batch", macro.toString());
		assertFalse(r.output(), r.output().contains("engine not found"));
		assertTrue(r.output(), r.output().contains("macro finished"));
		Path saved = out.resolve("format1-image-labels.tif");
		assertTrue(r.output(), Files.isRegularFile(saved));
		ImagePlus labels = IJ.openImage(saved.toString());
		assertArrayEquals(VolumeIO.readLabels(FIXTURES.resolve("format1-labels.nii.gz")).data(), ImagePlusConverter.toLabels(labels).data());
		// the natives came from jars/ and were unpacked into the fresh cache, with downloads switched off
		try (var files = Files.walk(engineCache)) {
			assertTrue(r.output(), files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch")));
		}
	}
}
