package org.mnseg.pretrained;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.mnseg.util.AtomicFiles;
import org.mnseg.util.CacheFolder;
import org.mnseg.util.Sha256;
import org.mnseg.util.UserError;

/**
 * Finds the file of a pretrained model, in this order: a file the user names, the cache folder, the team's
 * {@code shared/models} folder, and finally a download from the public origin into the cache. Every file is checked
 * against the registry's SHA-256, so a truncated download or a different model never runs silently.
 *
 * <p>Entries without a pinned SHA-256 ({@link PretrainedModel#pinned()} false: published files whose hash this
 * project could not look up) are downloaded only when the origin announces the file's SHA-256, as Hugging Face does
 * for Git LFS files in its {@code X-Linked-Etag} header; the download must hash to it, and the hash is kept next to
 * the cached file ({@code NAME.sha256}) so that later runs detect a changed file. {@link #resolveChecked} tells the
 * caller which check a file passed, for the run's provenance.
 *
 * <p>The cache folder is {@code -Dmn.cache=DIR}, else {@code $MN_CACHE_DIR}, else {@code ~/.cache/mnseg/models}.
 * Downloads are off with {@code -Dmn.offline=true} or {@code MN_OFFLINE=1} (tests and CI never download).
 * {@code -Dmn.hf.endpoint=URL} or {@code $HF_ENDPOINT} (Hugging Face's own variable) fetches Hugging Face files from a
 * mirror instead of {@code https://huggingface.co}.
 */
public final class WeightsSource {
	/** Download progress; {@code total} is -1 when the server does not say. */
	@FunctionalInterface
	public interface Progress {
		void update(long bytes, long total);
	}

	/** A file found for a model, its SHA-256 and how that hash was checked, in words (provenance). */
	public record Resolved(PretrainedModel model, Path file, String sha256, String check) {}

	static final String HUGGING_FACE = "https://huggingface.co/";
	private static final int MAX_REDIRECTS = 5;

	private final Path cacheDir;
	private final Path sharedModels;
	private final boolean downloads;
	private final Progress progress;
	/** Where Hugging Face files are fetched from instead of huggingface.co (a mirror), or null. */
	private String huggingFaceEndpoint;

	/**
	 * @param sharedModels the team's shared models folder, or null
	 * @param downloads whether a missing file may be fetched from its public origin
	 * @param progress told about download progress, or null
	 */
	public WeightsSource(Path cacheDir, Path sharedModels, boolean downloads, Progress progress) {
		this.cacheDir = cacheDir;
		this.sharedModels = sharedModels;
		this.downloads = downloads;
		this.progress = progress;
	}

	/** The configured defaults (see the class comment); {@code ../shared/models} is used when it exists. */
	public static WeightsSource defaults(Progress progress) {
		boolean offline = Boolean.getBoolean("mn.offline") || isSet(System.getenv("MN_OFFLINE"));
		Path shared = Paths.get(System.getProperty("mn.shared", "../shared")).resolve("models");
		String endpoint = System.getProperty("mn.hf.endpoint");
		if (endpoint == null || endpoint.isBlank()) endpoint = System.getenv("HF_ENDPOINT");
		return new WeightsSource(defaultCacheDir(), shared, !offline, progress).withHuggingFaceEndpoint(endpoint);
	}

	/** This source, fetching Hugging Face files from {@code endpoint} (e.g. a mirror); null or blank: huggingface.co. */
	public WeightsSource withHuggingFaceEndpoint(String endpoint) {
		this.huggingFaceEndpoint = endpoint == null || endpoint.isBlank() ? null : endpoint.replaceAll("/+$", "") + "/";
		return this;
	}

	/** Where a model is downloaded from: its URL, or the same path on the Hugging Face mirror. */
	String downloadUrl(PretrainedModel model) {
		String url = model.url();
		return huggingFaceEndpoint != null && url.startsWith(HUGGING_FACE) ? huggingFaceEndpoint + url.substring(HUGGING_FACE.length()) : url;
	}

	private static boolean isSet(String v) {
		return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
	}

	public static Path defaultCacheDir() {
		return CacheFolder.root().resolve("models");
	}

	public Path cacheDir() {
		return cacheDir;
	}

	/** Resolves without a user-named file. */
	public Path resolve(PretrainedModel model) {
		return resolve(model, null);
	}

	/**
	 * @param explicitFile a file the user named, or null
	 * @return a file whose SHA-256 matches the registry
	 * @throws UserError when the file is absent everywhere and cannot be downloaded, or does not match
	 */
	public Path resolve(PretrainedModel model, Path explicitFile) {
		return resolveChecked(model, explicitFile).file();
	}

	/** {@link #resolve}, with the file's SHA-256 and the check it passed. */
	public Resolved resolveChecked(PretrainedModel model, Path explicitFile) {
		if (explicitFile != null) {
			if (!Files.isRegularFile(explicitFile))
				throw new UserError("The weights file " + explicitFile + " for " + model.id() + " does not exist: check the path");
			return checked(model, explicitFile, "the file named by the user");
		}
		Path cached = cacheDir.resolve(model.fileName());
		if (Files.isRegularFile(cached)) return checked(model, cached, "a file placed in the cache by hand");
		if (sharedModels != null && Files.isRegularFile(sharedModels.resolve(model.fileName())))
			return checked(model, sharedModels.resolve(model.fileName()), "a file in the shared models folder");
		if (!downloads)
			throw new UserError(missingMessage(model, cached, "downloads are switched off (offline mode)"));
		download(model, cached);
		return new Resolved(model, cached, hashOf(cached), model.pinned() ? "matches the registry"
			: "matches the hash the origin announced at download; no SHA-256 is pinned for this file");
	}

	/**
	 * A found file, checked against the registry's SHA-256, or for an unpinned entry against the hash recorded when it
	 * was downloaded; an unpinned file without such a record is accepted as {@code origin} says (its loader still checks
	 * every tensor's name and shape).
	 */
	private Resolved checked(PretrainedModel model, Path file, String origin) {
		if (model.pinned()) {
			requireHash(model, file, model.sha256());
			return new Resolved(model, file, model.sha256(), "matches the registry");
		}
		String recorded = recordedHash(file);
		if (recorded != null) {
			requireHash(model, file, recorded);
			return new Resolved(model, file, recorded, "matches the hash recorded when it was downloaded; no SHA-256 is pinned for this file");
		}
		return new Resolved(model, file, hashOf(file), "not checked: no SHA-256 is pinned for this file, which is " + origin);
	}

	/** The SHA-256 kept next to a downloaded unpinned file, or null. */
	private static String recordedHash(Path file) {
		Path record = hashRecord(file);
		if (!Files.isRegularFile(record)) return null;
		String h = AtomicFiles.readString(record).trim();
		return h.matches("[0-9a-f]{64}") ? h : null;
	}

	private static Path hashRecord(Path file) {
		return file.resolveSibling(file.getFileName() + ".sha256");
	}

	/**
	 * Puts a copy of a pretrained file (carried by a model bundle) into the cache folder, unless a good copy is
	 * there already. The bytes must match the registry's SHA-256.
	 *
	 * @return the cached file
	 */
	public Path install(PretrainedModel model, byte[] data) {
		if (!model.pinned()) throw new IllegalArgumentException(model.id() + ": only files with a pinned SHA-256 are carried by bundles");
		Path cached = cacheDir.resolve(model.fileName());
		if (Files.isRegularFile(cached) && hashOf(cached).equals(model.sha256())) return cached;
		String got = Sha256.hex(data);
		if (!got.equals(model.sha256()))
			throw new UserError("The copy of " + model.id() + " inside the model bundle is damaged (SHA-256 " + got + ", expected " + model.sha256()
					+ "). Fetch " + model.url() + " yourself and save it as " + cached + ".");
		AtomicFiles.writeVia(cached, tmp -> Files.write(tmp, data));
		remember(cached, got);
		return cached;
	}

	private String missingMessage(PretrainedModel model, Path cached, String why) {
		return "The pretrained model " + model.id() + " (" + model.fileName() + ") is not on this computer and " + why
				+ ". Download " + model.url() + " yourself (licence " + model.licence() + ") and save it as " + cached
				+ ", or name the file explicitly (mn train --weights2d FILE).";
	}

	/** Why a download failed, in words (an unknown host is reported by Java with the bare host name). */
	private static String describe(IOException e) {
		if (e instanceof java.net.UnknownHostException) return "cannot resolve " + e.getMessage() + ": no network or no DNS";
		if (e instanceof java.net.ConnectException || e instanceof java.net.SocketTimeoutException) return "cannot connect: " + e.getMessage();
		return AtomicFiles.describe(e);
	}

	/**
	 * Downloads into the cache. For an unpinned file the announced hash is recorded before the file is moved into
	 * place, so that a cached file never lacks its record.
	 */
	private void download(PretrainedModel model, Path target) {
		try {
			AtomicFiles.writeVia(target, tmp -> {
				String announced = fetch(model, tmp);
				if (!model.pinned()) AtomicFiles.writeString(hashRecord(target), announced + "\n");
			});
		} catch (UserError e) {
			if (e.getCause() instanceof IOException)
				throw new UserError(missingMessage(model, target, "the download failed (" + describe((IOException) e.getCause()) + ")"), e);
			throw e;
		}
	}

	/**
	 * Streams the origin into {@code tmp}, hashing on the way; a wrong hash leaves nothing behind. Redirects are
	 * followed here, not by the connection, because Hugging Face announces an LFS file's SHA-256 only on the first
	 * response (the redirect to its CDN).
	 *
	 * @return the SHA-256 the origin announced, or null
	 */
	private String fetch(PretrainedModel model, Path tmp) throws IOException {
		URL url = new URL(downloadUrl(model));
		String announced = null;
		for (int hop = 0;; hop++) {
			HttpURLConnection c = (HttpURLConnection) url.openConnection();
			try {
				c.setConnectTimeout(15_000);
				c.setReadTimeout(60_000);
				c.setInstanceFollowRedirects(false);
				int status = c.getResponseCode();
				if (announced == null) announced = announcedSha256(c);
				if (status / 100 == 3 && c.getHeaderField("Location") != null) {
					if (hop == MAX_REDIRECTS) throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + model.url());
					url = new URL(url, c.getHeaderField("Location"));
					continue;
				}
				if (status != HttpURLConnection.HTTP_OK) throw new IOException("HTTP " + status + " from " + url);
				String expected = model.pinned() ? model.sha256() : announced;
				if (expected == null)
					throw new UserError("No SHA-256 is pinned for " + model.id() + " and " + url + " did not announce one (X-Linked-Etag), so a download "
						+ "could not be checked and was not made. Fetch " + model.url() + " yourself, compare its SHA-256 with the one Hugging Face "
						+ "shows on the file's page, and save it as " + cacheDir.resolve(model.fileName()) + " or name it with --weights2d FILE.");
				String got = copyHashing(c, tmp);
				if (!got.equals(expected))
					throw new UserError("The download of " + model.id() + " from " + url + " has SHA-256 " + got + ", expected " + expected
						+ (model.pinned() ? "" : " (announced by the origin)") + ": the origin changed or the transfer was corrupted. Nothing was saved; "
						+ "fetch the file yourself and check it, then save it as " + cacheDir.resolve(model.fileName()));
				return announced;
			} finally {
				c.disconnect();
			}
		}
	}

	/** The file's SHA-256 from Hugging Face's {@code X-Linked-Etag} (or a plain {@code ETag}) when it is one, else null. */
	static String announcedSha256(HttpURLConnection c) {
		for (String header : new String[] { "X-Linked-Etag", "ETag" }) {
			String v = c.getHeaderField(header);
			if (v == null) continue;
			v = v.trim().replaceFirst("^W/", "").replace("\"", "").toLowerCase(java.util.Locale.ROOT);
			if (v.matches("[0-9a-f]{64}")) return v;
		}
		return null;
	}

	private String copyHashing(HttpURLConnection c, Path tmp) throws IOException {
		long total = c.getContentLengthLong();
		MessageDigest digest = Sha256.newDigest();
		try (InputStream in = new DigestInputStream(c.getInputStream(), digest); OutputStream out = Files.newOutputStream(tmp)) {
			byte[] buf = new byte[1 << 16];
			long done = 0;
			for (int n; (n = in.read(buf)) > 0;) {
				out.write(buf, 0, n);
				done += n;
				if (progress != null) progress.update(done, total);
			}
		}
		return Sha256.hex(digest);
	}

	private static void requireHash(PretrainedModel model, Path file, String expected) {
		String got = hashOf(file);
		if (!got.equals(expected))
			throw new UserError("The file " + file + " is not the expected " + model.id() + " model: its SHA-256 is " + got
					+ ", expected " + expected + ". Delete it and fetch " + model.url() + " again.");
	}

	/** Files hashed in this JVM, with the size and time they had then: loading a bundle checks the same file twice. */
	private static final Map<Path, String> HASHED = new ConcurrentHashMap<>();

	/** {@link #sha256}, remembered while the file's size and modification time stay the same. */
	private static String hashOf(Path file) {
		String stamp = stampOf(file);
		String seen = stamp == null ? null : HASHED.get(file.toAbsolutePath().normalize());
		if (seen != null && seen.startsWith(stamp)) return seen.substring(stamp.length());
		String hash = sha256(file); // also reports an unreadable file
		remember(file, hash);
		return hash;
	}

	/** Records the hash of a file just written from checked bytes, so that resolving it next does not read it again. */
	private static void remember(Path file, String hash) {
		String stamp = stampOf(file);
		if (stamp != null) HASHED.put(file.toAbsolutePath().normalize(), stamp + hash);
	}

	/** Size and modification time, or null when they cannot be read. */
	private static String stampOf(Path file) {
		try {
			return Files.size(file) + "@" + Files.getLastModifiedTime(file).toInstant() + ":";
		} catch (IOException e) {
			return null;
		}
	}

	/** Lower-case hex SHA-256 of a file. */
	public static String sha256(Path file) {
		MessageDigest digest = Sha256.newDigest();
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		} catch (IOException e) {
			throw new UserError("Could not read " + file + ": " + AtomicFiles.describe(e), e);
		}
		return Sha256.hex(digest);
	}
}
