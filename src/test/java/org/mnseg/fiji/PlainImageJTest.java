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
import org.mnseg.io.VolumeIO;


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
	public void macroOpensNiftiSegmentsWithTheEngineFromJarsAndSavesNiftiOnTheSourceGrid() throws Exception {
		Path imagej = InstalledSite.plainImageJ(tmp.newFolder("install").toPath());
		Path image = FIXTURES.resolve("format1-image.nii.gz").toAbsolutePath();
		Path out = tmp.newFolder("out").toPath();
		Path saved = out.resolve("format1-labels.nii.gz");
		Path macro = tmp.newFile("segment.ijm").toPath();
		// the commands as a macro calls them: the reader and writer from plugins.config, Segment on the current image
		Files.writeString(macro, String.join("\n", "setBatchMode(true);", "run(\"Open NIfTI (M&N)...\", \"open=[" + image + "]\");",
			"run(\"M&N Segment\", \"model=[" + FIXTURES.resolve("format1.mnmodel").toAbsolutePath() + "] input=[current image]\");",
			"run(\"Save as NIfTI (M&N)...\", \"save=[" + saved + "]\");", "print(\"macro finished\");", ""));
		Path engineCache = tmp.newFolder("engine-cache").toPath();
		ImageJProcess.Result r = ImageJProcess.runImageJJar(imagej, engineCache, 300, "-batch", macro.toString());
		assertFalse(r.output(), r.output().contains("engine not found"));
		assertTrue(r.output(), r.output().contains("macro finished"));
		assertTrue(r.output(), r.output().contains("with the header of the NIfTI image it came from"));
		assertArrayEquals(VolumeIO.readLabels(FIXTURES.resolve("format1-labels.nii.gz")).data(), VolumeIO.readLabels(saved).data());
		assertArrayEquals(VolumeIO.readImage(image).geometry().spacing(), VolumeIO.readLabels(saved).geometry().spacing(), 0);
		// the natives came from jars/ and were unpacked into the fresh cache, with downloads switched off
		try (var files = Files.walk(engineCache)) {
			assertTrue(r.output(), files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch")));
		}
	}
}
