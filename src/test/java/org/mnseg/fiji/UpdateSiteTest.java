package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.GZIPInputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.updatesite.FijiChecksum;
import org.mnseg.updatesite.UpdateSiteBuilder;
import org.mnseg.train.RunListener;
import org.mnseg.workflow.TrainWorkflow;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

import ai.djl.Device;

/**
 * The update site: built from the plugin and its libraries, installed the way the Fiji updater installs (files
 * fetched as {@code <path>-<timestamp>}, checked against db.xml.gz), into a Fiji-like folder that has nothing else
 * but Fiji's own libraries; then "M&amp;N Segment" runs there from a macro, offline, with a fresh engine cache, and
 * gives exactly the labels of the command line.
 */
public class UpdateSiteTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	private static final String TIMESTAMP = "20260101120000";

	@Test
	public void builtSiteInstallsIntoAnEmptyFijiAndSegmentsOfflineLikeTheCommandLine() throws Exception {
		Path work = tmp.newFolder("build").toPath();
		Path plugin = ImageJProcess.pluginJar(work);
		Path pluginJar = Files.move(plugin, work.resolve("MN_Segmentation-0.1.0.jar"));
		List<Path> libs = InstalledSite.runtimeLibraries();
		Set<String> provided = UpdateSiteBuilder.readProvided(InstalledSite.PROVIDED);
		Path out = tmp.newFolder("update-site").toPath();
		List<UpdateSiteBuilder.Entry> entries = UpdateSiteBuilder.build(pluginJar, libs, provided, TIMESTAMP, out);

		// the index: valid against the updater's DTD, one record per file, plugin depending on every library
		Document db = readValidated(out.resolve("site/db.xml.gz"));
		NodeList plugins = db.getElementsByTagName("plugin");
		assertEquals(entries.size(), plugins.getLength());
		Path fiji = tmp.newFolder("Fiji.app").toPath();
		boolean natives = false;
		for (int i = 0; i < plugins.getLength(); i++) {
			Element p = (Element) plugins.item(i);
			String file = p.getAttribute("filename");
			Element v = (Element) p.getElementsByTagName("version").item(0);
			assertEquals(TIMESTAMP, v.getAttribute("timestamp"));
			assertFalse("Fiji's own " + file + " must not be shipped", provided.contains(artifact(file)));
			// install as the updater does: fetch <file>-<timestamp>, check size and checksum, put it at <file>
			Path fetched = out.resolve("site").resolve(file + "-" + TIMESTAMP);
			Path installed = fiji.resolve(file);
			Files.createDirectories(installed.getParent());
			Files.copy(fetched, installed);
			assertEquals(file, Long.parseLong(v.getAttribute("filesize")), Files.size(installed));
			assertEquals(file, v.getAttribute("checksum"), FijiChecksum.of(file, installed));
			natives |= file.startsWith("jars/pytorch-native-cpu");
		}
		assertTrue("the PyTorch natives travel in jars/", natives);
		assertTrue(Files.exists(fiji.resolve("plugins/MN_Segmentation-0.1.0.jar")));
		Element pluginRecord = (Element) plugins.item(plugins.getLength() - 1);
		assertEquals("plugins/MN_Segmentation-0.1.0.jar", pluginRecord.getAttribute("filename"));
		// every library but the natives, which the updater installs for their platform only
		assertEquals(entries.stream().filter(e -> e.platform() == null).count() - 1, pluginRecord.getElementsByTagName("dependency").getLength());

		// Fiji's core libraries, which the site leaves out, stand in for a Fiji installation
		for (Path lib : libs)
			if (provided.contains(artifact(lib.getFileName().toString()))) Files.copy(lib, fiji.resolve("jars").resolve(lib.getFileName()));

		// a model trained on real data, and the command line's segmentation of one image with it
		HippocampusSample data = HippocampusSample.link(tmp.newFolder("data").toPath());
		Path run = tmp.newFolder("run").toPath();
		Path bundle = TrainWorkflow.run(new TrainWorkflow.Request(data.dataset, 4, "labeled-only", "cpu", TinyModel.overrides(2), run, false, false,
			Device.cpu()), RunListener.NONE, () -> false).bundle();

		// the macro: folder mode, exactly the call a user makes; Fiji's launcher puts jars/ and plugins/ on the class path
		Path labels = tmp.newFolder("labels").toPath();
		Path macro = tmp.newFile("segment.ijm").toPath();
		Files.writeString(macro, "setBatchMode(true);\nrun(\"M&N Segment\", \"model=[" + bundle + "] input=folder folder=[" + data.images + "] output=["
			+ labels + "]\");\nprint(\"macro finished\");\n");
		List<String> cp = new ArrayList<>();
		for (String dir : new String[] { "jars", "plugins" })
			try (var files = Files.list(fiji.resolve(dir))) {
				files.filter(f -> f.toString().endsWith(".jar")).forEach(f -> cp.add(f.toString()));
			}
		Path engineCache = fiji.resolve("engine-cache");
		ImageJProcess.Result r = ImageJProcess.run(cp, fiji, engineCache, 300, "ij.ImageJ", "-batch", macro.toString());
		assertTrue(r.output(), r.output().contains("macro finished"));
		// the natives came from jars/ and were unpacked into the fresh cache, with downloads switched off
		try (var files = Files.walk(engineCache)) {
			assertTrue(r.output(), files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch")));
		}
		ScriptExamplesTest.assertSameAsCommandLine(bundle, data.images, labels);
	}

	@Test
	public void jarChecksumIgnoresBuildNoiseButNotContent() throws Exception {
		Path a = jar("a.jar", "Built-By: alice\n", "#Mon Jan 01 2026\nversion=1\n", "class-bytes");
		Path b = jar("b.jar", "Built-By: bob\n", "#Tue Feb 02 2027\nversion=1\n", "class-bytes");
		Path c = jar("c.jar", "Built-By: bob\n", "#Tue Feb 02 2027\nversion=2\n", "class-bytes");
		assertEquals(FijiChecksum.of("jars/x.jar", a), FijiChecksum.of("jars/x.jar", b));
		assertNotEquals(FijiChecksum.of("jars/x.jar", b), FijiChecksum.of("jars/x.jar", c));
		// a plain file's checksum covers its path as well as its bytes
		Path f = tmp.newFile("notes.txt").toPath();
		Files.writeString(f, "x");
		assertNotEquals(FijiChecksum.of("lib/notes.txt", f), FijiChecksum.of("lib/other.txt", f));
		// known value: SHA-1 of "lib/notes.txt" followed by "x"
		assertEquals(sha1("lib/notes.txtx"), FijiChecksum.of("lib/notes.txt", f));
	}

	private Path jar(String name, String manifestExtra, String properties, String clazz) throws Exception {
		Path p = tmp.getRoot().toPath().resolve(name);
		Manifest m = new Manifest(new java.io.ByteArrayInputStream(("Manifest-Version: 1.0\n" + manifestExtra).getBytes(StandardCharsets.UTF_8)));
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(p), m)) {
			out.putNextEntry(new JarEntry("META-INF/maven/pom.properties"));
			out.write(properties.getBytes(StandardCharsets.UTF_8));
			out.putNextEntry(new JarEntry("org/x/A.class"));
			out.write(clazz.getBytes(StandardCharsets.UTF_8));
		}
		return p;
	}

	private static String sha1(String s) throws Exception {
		return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.US_ASCII)));
	}

	private static String artifact(String path) {
		String name = Paths.get(path).getFileName().toString();
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("-\\d").matcher(name);
		return m.find() ? name.substring(0, m.start()) : name.replace(".jar", "");
	}

	private static Document readValidated(Path dbXmlGz) throws Exception {
		DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
		f.setValidating(true);
		var builder = f.newDocumentBuilder();
		builder.setErrorHandler(new ErrorHandler() {
			@Override
			public void warning(SAXParseException e) {}

			@Override
			public void error(SAXParseException e) throws SAXParseException {
				throw e;
			}

			@Override
			public void fatalError(SAXParseException e) throws SAXParseException {
				throw e;
			}
		});
		try (InputStream in = new GZIPInputStream(Files.newInputStream(dbXmlGz))) {
			return builder.parse(in);
		}
	}
}
