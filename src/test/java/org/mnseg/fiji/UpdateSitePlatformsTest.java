package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.GZIPInputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.testutil.OtherSystemJvm;
import org.mnseg.updatesite.UpdateSiteBuilder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import ai.djl.util.Platform;

/**
 * The update site on each platform it serves: the Fiji updater installs a file that names a platform only on that
 * platform, and DJL loads the PyTorch natives whose classifier matches the running system. So for each platform the
 * files the updater installs must hold exactly one natives jar, and it must be the one DJL picks there.
 * <p>
 * Windows, macOS and ARM Linux cannot be run here. What is checked is the part this project decides: which natives
 * jar goes to which Fiji platform. The natives jars are those Maven Central serves reduced to what DJL reads to choose
 * one ({@code native/lib/pytorch.properties}, taken from the real linux-x86_64 jar of the class path with only the
 * classifier changed), and DJL chooses in a JVM told it runs on that platform (os.name and os.arch).
 */
public class UpdateSitePlatformsTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** os.name and os.arch of a JVM on each platform, and the updater's name for it (imagej-updater's Platforms.current()). */
	private static final String[][] SYSTEMS = { { "Linux", "amd64", "linux64" }, { "Linux", "aarch64", "linux-arm64" },
		{ "Windows 11", "amd64", "win64" }, { "Mac OS X", "aarch64", "macos-arm64" } };

	private static final String NATIVES_INDEX = "native/lib/pytorch.properties";

	@Test
	public void eachPlatformInstallsTheOneNativesJarDjlLoadsThere() throws Exception {
		Path hostNatives = ImageJProcess.libraryJars().stream().map(Paths::get)
			.filter(j -> j.getFileName().toString().startsWith("pytorch-native-cpu-")).findFirst()
			.orElseThrow(() -> new AssertionError("no pytorch-native-cpu jar on the test class path"));
		Properties index = new Properties();
		try (JarFile jar = new JarFile(hostNatives.toFile()); InputStream in = jar.getInputStream(jar.getEntry(NATIVES_INDEX))) {
			index.load(in);
		}
		String version = index.getProperty("version").replaceFirst("-.*", "");

		Path libs = tmp.newFolder("libs").toPath();
		List<Path> natives = new ArrayList<>();
		for (String classifier : UpdateSiteBuilder.FIJI_PLATFORM_OF_NATIVES.keySet()) {
			Properties p = (Properties) index.clone();
			p.setProperty("classifier", classifier);
			natives.add(jar(libs.resolve("pytorch-native-cpu-" + version + "-" + classifier + ".jar"), p));
		}
		Path plugin = jar(libs.resolve("MN_Segmentation-0.1.0.jar"), null);
		Path out = tmp.newFolder("site").toPath();
		UpdateSiteBuilder.build(plugin, natives, Set.of(), "20260101120000", out);

		Document db;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve("site/db.xml.gz")))) {
			db = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
		}
		NodeList records = db.getElementsByTagName("plugin");
		// the updater installs a file's dependencies whatever their platform: the plugin names no natives as one
		NodeList dependencies = db.getElementsByTagName("dependency");
		for (int i = 0; i < dependencies.getLength(); i++) {
			String dependency = ((Element) dependencies.item(i)).getAttribute("filename");
			assertFalse(dependency, dependency.contains("pytorch-native-cpu"));
		}
		for (String[] system : SYSTEMS) {
			String fijiPlatform = system[2];
			List<Path> installed = new ArrayList<>();
			for (int i = 0; i < records.getLength(); i++) {
				Element r = (Element) records.item(i);
				NodeList platforms = r.getElementsByTagName("platform");
				boolean forThisPlatform = platforms.getLength() == 0;
				for (int k = 0; k < platforms.getLength(); k++)
					forThisPlatform |= platforms.item(k).getTextContent().equals(fijiPlatform);
				if (forThisPlatform) installed.add(out.resolve("fiji").resolve(r.getAttribute("filename")));
			}
			List<Path> installedNatives = installed.stream().filter(f -> f.getFileName().toString().startsWith("pytorch-native-cpu-")).toList();
			assertEquals(fijiPlatform + " gets " + installedNatives, 1, installedNatives.size());
			String shipped = installedNatives.get(0).getFileName().toString();
			String picked = djlPicks(system[0], system[1], installedNatives.get(0));
			assertTrue(fijiPlatform + ": DJL picks " + picked + ", the site installs " + shipped, shipped.endsWith("-" + picked + ".jar"));
		}
		// the check can fail: Windows with only the Linux natives finds none to load
		Path linuxNatives = natives.stream().filter(n -> n.getFileName().toString().contains("linux-x86_64")).findFirst().orElseThrow();
		assertEquals("none", djlPicks("Windows 11", "amd64", linuxNatives));
	}

	@Test
	public void theSiteServesEveryPlatformTheEngineChecksFor() {
		assertEquals(org.mnseg.nn.EngineNatives.PUBLISHED, UpdateSiteBuilder.FIJI_PLATFORM_OF_NATIVES.keySet());
	}

	@Test
	public void onlyTheNativesNameAPlatform() {
		assertEquals("linux64", UpdateSiteBuilder.fijiPlatform("pytorch-native-cpu-2.7.1-linux-x86_64.jar"));
		assertEquals("macos-arm64", UpdateSiteBuilder.fijiPlatform("pytorch-native-cpu-2.7.1-osx-aarch64.jar"));
		assertEquals(null, UpdateSiteBuilder.fijiPlatform("pytorch-jni-2.7.1-0.36.0.jar"));
		assertEquals(null, UpdateSiteBuilder.fijiPlatform("MN_Segmentation-0.1.0.jar"));
	}

	/** The classifier DJL detects in a JVM that sees {@code osName} and {@code osArch}, with {@code natives} on its class path. */
	private static String djlPicks(String osName, String osArch, Path natives) throws Exception {
		List<String> cp = new ArrayList<>();
		for (String e : OtherSystemJvm.testClassPath())
			if (!Paths.get(e).getFileName().toString().startsWith("pytorch-native-cpu-")) cp.add(e);
		cp.add(natives.toString());
		return OtherSystemJvm.lastLine(osName, osArch, List.of(), cp, DetectNatives.class);
	}

	/** Prints the classifier of the natives DJL would load here: a plain main, run in a child JVM. */
	public static final class DetectNatives {
		public static void main(String[] args) {
			// without natives for this system DJL falls back to a placeholder named after the system itself
			Platform p = Platform.detectPlatform("pytorch");
			System.out.println(p.isPlaceholder() ? "none" : p.getClassifier());
		}
	}

	/** A jar holding {@code index} as DJL's natives index, or nothing but a manifest where it is null. */
	private static Path jar(Path file, Properties index) throws Exception {
		try (OutputStream o = Files.newOutputStream(file); JarOutputStream out = new JarOutputStream(o)) {
			if (index != null) {
				out.putNextEntry(new JarEntry(NATIVES_INDEX));
				index.store(out, null);
			}
		}
		return file;
	}
}
