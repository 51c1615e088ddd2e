package org.mnseg.updatesite;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.mnseg.util.AtomicFiles;
import org.mnseg.util.UserError;

/**
 * Builds a Fiji update site from the plugin jar and its runtime dependencies.
 * <p>
 * Output, below the given folder:
 * <ul>
 * <li>{@code fiji/}: the files as they lie in an installed Fiji: the plugin jar in {@code plugins/} (its name has an
 * underscore, so ImageJ 1.x reads its {@code plugins.config}), the libraries in {@code jars/}, including DJL's
 * PyTorch natives ({@code pytorch-native-cpu-*.jar}, one per platform, each marked for its platform in the index), which
 * the engine unpacks from the class path, so nothing is
 * downloaded after installation;</li>
 * <li>{@code site/}: what is uploaded to the update site: {@code db.xml.gz} (the index the Fiji updater reads, with
 * checksum, timestamp and size of every file) and each file as {@code <path>-<timestamp>}, where the updater fetches
 * it.</li>
 * </ul>
 * Libraries that Fiji itself ships (listed in {@code update-site/fiji-provided.txt}) are left out, so that the site
 * never replaces a core file.
 */
public final class UpdateSiteBuilder {
	/** Timestamps as the updater writes them: local time, yyyyMMddHHmmss. */
	public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

	/** One file of the site. */
	public record Entry(String path, Path source, String checksum, long size, String platform) {}

	private UpdateSiteBuilder() {}

	/**
	 * Builds the site.
	 *
	 * @param plugin the plugin jar (name with an underscore)
	 * @param libraries runtime dependency jars
	 * @param provided artifact names (file name without version) that Fiji already has
	 * @param timestamp yyyyMMddHHmmss of this upload
	 * @return the files of the site, plugin first
	 */
	public static List<Entry> build(Path plugin, List<Path> libraries, Set<String> provided, String timestamp, Path out) throws IOException {
		if (!plugin.getFileName().toString().contains("_"))
			throw new UserError("The plugin jar " + plugin + " needs an underscore in its name, or ImageJ 1.x will not read its plugins.config.");
		List<Entry> entries = new ArrayList<>();
		entries.add(entry("plugins/" + plugin.getFileName(), plugin));
		// a library found twice (the host's natives are both a dependency and one of every platform's) is shipped once
		Map<Path, Path> byName = new TreeMap<>();
		for (Path l : libraries)
			if (!provided.contains(artifactName(l.getFileName().toString()))) byName.putIfAbsent(l.getFileName(), l);
		byName.forEach((name, l) -> entries.add(entry("jars/" + name, l)));
		for (Entry e : entries) {
			copy(e.source(), out.resolve("fiji").resolve(e.path()));
			copy(e.source(), out.resolve("site").resolve(e.path() + "-" + timestamp));
		}
		byte[] xml = DbXml.write(entries, timestamp).getBytes(StandardCharsets.UTF_8);
		AtomicFiles.write(out.resolve("site/db.xml.gz"), o -> {
			try (OutputStream gz = new GZIPOutputStream(nonClosing(o))) {
				gz.write(xml);
			}
		});
		return entries;
	}

	/**
	 * DJL's classifier of each PyTorch CPU natives jar that Maven Central serves, and the name the Fiji updater gives
	 * that platform (its {@code Platforms.current()}: os.name and os.arch, "amd64" as "64", "aarch64" as "-arm64"). The
	 * updater installs a file that names a platform only there, and DJL takes the natives whose classifier matches the
	 * running system, so each Fiji gets the one natives jar it can load.
	 */
	public static final Map<String, String> FIJI_PLATFORM_OF_NATIVES = Map.of("linux-x86_64", "linux64", "linux-aarch64", "linux-arm64",
		"win-x86_64", "win64", "osx-aarch64", "macos-arm64");

	/** The Fiji platform a library is for ("linux64" for "pytorch-native-cpu-2.7.1-linux-x86_64.jar"), or null: every platform. */
	public static String fijiPlatform(String fileName) {
		String base = fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName;
		return FIJI_PLATFORM_OF_NATIVES.entrySet().stream().filter(e -> base.endsWith("-" + e.getKey())).map(Map.Entry::getValue).findFirst()
			.orElse(null);
	}

	private static Entry entry(String path, Path file) {
		try {
			return new Entry(path, file, FijiChecksum.of(path, file), Files.size(file), fijiPlatform(file.getFileName().toString()));
		} catch (IOException e) {
			throw new UserError("Cannot read " + file + ": " + e.getMessage(), e);
		}
	}

	/** "pytorch-native-cpu-2.7.1-linux-x86_64.jar" gives "pytorch-native-cpu": the name before the first "-<digit>". */
	public static String artifactName(String fileName) {
		String base = fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName;
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("-\\d").matcher(base);
		return m.find() ? base.substring(0, m.start()) : base;
	}

	private static void copy(Path from, Path to) throws IOException {
		Files.createDirectories(to.getParent());
		Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	private static OutputStream nonClosing(OutputStream o) {
		return new java.io.FilterOutputStream(o) {
			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				out.write(b, off, len);
			}

			@Override
			public void close() throws IOException {
				flush();
			}
		};
	}

	/** Names of {@code provided}: one artifact name a line, '#' comments. */
	public static Set<String> readProvided(Path file) throws IOException {
		Set<String> names = new TreeSet<>();
		for (String line : Files.readAllLines(file)) {
			String l = line.replaceFirst("#.*", "").trim();
			if (!l.isEmpty()) names.add(l);
		}
		return names;
	}

	/**
	 * {@code UpdateSiteBuilder PLUGIN_JAR LIB_DIRS PROVIDED_TXT OUT_DIR [TIMESTAMP]}, LIB_DIRS one folder or several
	 * joined by the path separator; see update-site/build.
	 */
	public static void main(String[] args) throws IOException {
		if (args.length < 4) {
			System.err.println("usage: UpdateSiteBuilder PLUGIN_JAR LIB_DIR[" + java.io.File.pathSeparator + "LIB_DIR...] PROVIDED_TXT OUT_DIR [yyyyMMddHHmmss]");
			System.exit(2);
		}
		List<Path> libs = new ArrayList<>();
		for (String dir : args[1].split(java.io.File.pathSeparator))
			try (Stream<Path> s = Files.list(Paths.get(dir))) {
				s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(libs::add);
			}
		String ts = args.length > 4 ? args[4] : LocalDateTime.now().format(TIMESTAMP);
		List<Entry> entries = build(Paths.get(args[0]), libs, readProvided(Paths.get(args[2])), ts, Paths.get(args[3]));
		for (Entry e : entries)
			System.out.println(e.path() + "  " + e.size() + " bytes  " + e.checksum() + (e.platform() == null ? "" : "  " + e.platform() + " only"));
		Set<String> served = new TreeSet<>();
		entries.forEach(e -> { if (e.platform() != null) served.add(e.platform()); });
		Set<String> missing = new TreeSet<>(FIJI_PLATFORM_OF_NATIVES.values());
		missing.removeAll(served);
		System.out.println("PyTorch natives for " + String.join(", ", served) + (missing.isEmpty() ? "" : "; none for " + String.join(", ", missing)
			+ " (update-site/build fetches them with -Pupdate-site)"));
		System.out.println("update site in " + Paths.get(args[3]).resolve("site") + ", Fiji layout in " + Paths.get(args[3]).resolve("fiji"));
	}

	/** The db.xml of an update site, in the format (and with the DTD) the Fiji updater writes and reads. */
	static final class DbXml {
		private DbXml() {}

		static String write(List<Entry> entries, String timestamp) throws IOException {
			java.io.StringWriter s = new java.io.StringWriter();
			write(s, entries, timestamp);
			return s.toString();
		}

		private static void write(Writer w, List<Entry> entries, String timestamp) throws IOException {
			w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
			w.write(DTD);
			w.write("<pluginRecords>\n");
			Entry plugin = entries.get(0);
			for (Entry e : entries.stream().sorted(Comparator.comparing(Entry::path)).toList()) {
				w.write("    <plugin filename=\"" + esc(e.path()) + "\">\n");
				if (e.platform() != null) w.write("        <platform>" + e.platform() + "</platform>\n");
				w.write("        <version checksum=\"" + e.checksum() + "\" filesize=\"" + e.size() + "\" timestamp=\"" + timestamp + "\">\n");
				if (e == plugin) {
					w.write("            <description>M&amp;N semi-supervised 3D segmentation: the M&amp;N Co-Train and M&amp;N Segment commands.</description>\n");
					// not the natives: the updater installs a dependency even where its platform is not this one
					for (Entry d : entries)
						if (d != plugin && d.platform() == null) w.write("            <dependency filename=\"" + esc(d.path()) + "\" timestamp=\"" + timestamp + "\"/>\n");
				}
				w.write("        </version>\n");
				w.write("    </plugin>\n");
			}
			w.write("</pluginRecords>\n");
		}

		private static String esc(String s) {
			return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
		}

		/** The document type the updater declares for db.xml (element and attribute names it validates against). */
		static final String DTD = String.join("\n", "<!DOCTYPE pluginRecords [",
			"<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>", "<!ELEMENT update-site EMPTY>",
			"<!ELEMENT disabled-update-site EMPTY>", "<!ELEMENT plugin (platform*, category*, version?, previous-version*)>",
			"<!ELEMENT version (description?, dependency*, link*, author*)>", "<!ELEMENT previous-version EMPTY>",
			"<!ELEMENT description (#PCDATA)>", "<!ELEMENT dependency EMPTY>", "<!ELEMENT link (#PCDATA)>", "<!ELEMENT author (#PCDATA)>",
			"<!ELEMENT platform (#PCDATA)>", "<!ELEMENT category (#PCDATA)>", "<!ATTLIST update-site name CDATA #REQUIRED>",
			"<!ATTLIST update-site url CDATA #REQUIRED>", "<!ATTLIST update-site ssh-host CDATA #IMPLIED>",
			"<!ATTLIST update-site upload-directory CDATA #IMPLIED>", "<!ATTLIST update-site description CDATA #IMPLIED>",
			"<!ATTLIST update-site maintainer CDATA #IMPLIED>", "<!ATTLIST update-site timestamp CDATA #REQUIRED>",
			"<!ATTLIST disabled-update-site name CDATA #REQUIRED>", "<!ATTLIST disabled-update-site url CDATA #REQUIRED>",
			"<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>", "<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>",
			"<!ATTLIST disabled-update-site description CDATA #IMPLIED>", "<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>",
			"<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>", "<!ATTLIST plugin update-site CDATA #IMPLIED>",
			"<!ATTLIST plugin filename CDATA #REQUIRED>", "<!ATTLIST plugin executable CDATA #IMPLIED>",
			"<!ATTLIST dependency filename CDATA #REQUIRED>", "<!ATTLIST dependency timestamp CDATA #IMPLIED>",
			"<!ATTLIST dependency overrides CDATA #IMPLIED>", "<!ATTLIST version timestamp CDATA #REQUIRED>",
			"<!ATTLIST version checksum CDATA #REQUIRED>", "<!ATTLIST version filesize CDATA #REQUIRED>",
			"<!ATTLIST previous-version filename CDATA #IMPLIED>", "<!ATTLIST previous-version timestamp CDATA #REQUIRED>",
			"<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>", "<!ATTLIST previous-version checksum CDATA #REQUIRED>]>\n");
	}
}
