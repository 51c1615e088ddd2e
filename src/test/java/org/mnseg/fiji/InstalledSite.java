package org.mnseg.fiji;

import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.mnseg.updatesite.UpdateSiteBuilder;

/** ImageJ folders with the M&amp;N update site installed, laid out by {@link UpdateSiteBuilder} itself. */
final class InstalledSite {
	private InstalledSite() {}

	/** Fiji's own libraries, which the site leaves out. */
	static final Path PROVIDED = Paths.get("update-site/fiji-provided.txt");

	/** Jars of the test class path that are only for tests, not part of the plugin's runtime. */
	static boolean testOnly(String jar) {
		String name = Paths.get(jar).getFileName().toString();
		return name.startsWith("junit") || name.startsWith("hamcrest") || name.startsWith("groovy");
	}

	/** The plugin's runtime libraries: the test class path's jars without the test-only ones. */
	static List<Path> runtimeLibraries() {
		List<Path> libs = new ArrayList<>();
		for (String j : ImageJProcess.libraryJars())
			if (!testOnly(j)) libs.add(Paths.get(j));
		return libs;
	}

	/**
	 * A plain ImageJ 1.x folder as a user has it after installing the site: {@code ij.jar} at the top (the one of the
	 * Maven repository, on the test class path), the site's {@code plugins/} and {@code jars/} as the builder lays them
	 * out, and in {@code jars/} the libraries a Fiji would have provided (ImageJ itself excepted: that is ij.jar).
	 * Skips the test where ij.jar is missing.
	 */
	static Path plainImageJ(Path work) throws IOException {
		List<Path> libs = runtimeLibraries();
		Optional<Path> ij = libs.stream().filter(l -> UpdateSiteBuilder.artifactName(l.getFileName().toString()).equals("ij")).findFirst();
		assumeTrue("skipped: no ij.jar on the test class path (net.imagej:ij in ~/.m2)", ij.isPresent() && Files.isRegularFile(ij.get()));
		Path build = Files.createDirectories(work.resolve("build"));
		Path plugin = Files.move(ImageJProcess.pluginJar(build), build.resolve("MN_Segmentation-0.1.0.jar"));
		Set<String> provided = UpdateSiteBuilder.readProvided(PROVIDED);
		Path site = work.resolve("site");
		UpdateSiteBuilder.build(plugin, libs, provided, "20260101120000", site);
		Path dir = site.resolve("fiji");
		for (Path lib : libs) {
			String name = UpdateSiteBuilder.artifactName(lib.getFileName().toString());
			if (provided.contains(name) && !name.equals("ij")) Files.copy(lib, dir.resolve("jars").resolve(lib.getFileName()));
		}
		Files.copy(ij.get(), dir.resolve("ij.jar"));
		return dir;
	}
}
