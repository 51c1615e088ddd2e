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
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.mnseg.util.AtomicFiles;
import org.mnseg.util.CacheFolder;
import org.mnseg.util.UserError;

/**
 * Finds the file of a pretrained model, in this order: a file the user names, the cache folder, the team's
 * {@code shared/models} folder, and finally a download from the public origin into the cache. Every file is checked
 * against the registry's SHA-256, so a truncated download or a different model never runs silently.
 *
 * <p>The cache folder is {@code -Dmn.cache=DIR}, else {@code $MN_CACHE_DIR}, else {@code ~/.cache/mnseg/models}.
 * Downloads are off with {@code -Dmn.offline=true} or {@code MN_OFFLINE=1} (tests and CI never download).
 */
public final class WeightsSource {
	/** Download progress; {@code total} is -1 when the server does not say. */
	@FunctionalInterface
	public interface Progress {
		void update(long bytes, long total);
	}

	private final Path cacheDir;
	private final Path sharedModels;
	private final boolean downloads;
	private final Progress progress;

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
		return new WeightsSource(defaultCacheDir(), shared, !offline, progress);
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
		if (explicitFile != null) {
			if (!Files.isRegularFile(explicitFile))
				throw new UserError("The weights file " + explicitFile + " for " + model.id() + " does not exist: check the path");
			requireHash(model, explicitFile);
			return explicitFile;
		}
		Path cached = cacheDir.resolve(model.fileName());
		if (Files.isRegularFile(cached)) {
			requireHash(model, cached);
			return cached;
		}
		if (sharedModels != null && Files.isRegularFile(sharedModels.resolve(model.fileName()))) {
			Path shared = sharedModels.resolve(model.fileName());
			requireHash(model, shared);
			return shared;
		}
		if (!downloads)
			throw new UserError(missingMessage(model, cached, "downloads are switched off (offline mode)"));
		download(model, cached);
		return cached;
	}

	/**
	 * Puts a copy of a pretrained file (carried by a model bundle) into the cache folder, unless a good copy is
	 * there already. The bytes must match the registry's SHA-256.
	 *
	 * @return the cached file
	 */
	public Path install(PretrainedModel model, byte[] data) {
		Path cached = cacheDir.resolve(model.fileName());
		if (Files.isRegularFile(cached) && hashOf(cached).equals(model.sha256())) return cached;
		MessageDigest digest = sha256Digest();
		String got = HexFormat.of().formatHex(digest.digest(data));
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
				+ ", or name the file explicitly.";
	}

	private void download(PretrainedModel model, Path target) {
		try {
			AtomicFiles.writeVia(target, tmp -> fetch(model, tmp));
		} catch (UserError e) {
			if (e.getCause() instanceof IOException)
				throw new UserError(missingMessage(model, target, "the download failed (" + AtomicFiles.describe((IOException) e.getCause()) + ")"), e);
			throw e;
		}
	}

	/** Streams the origin into {@code tmp}, hashing on the way; a wrong hash leaves nothing behind. */
	private void fetch(PretrainedModel model, Path tmp) throws IOException {
		HttpURLConnection c = (HttpURLConnection) new URL(model.url()).openConnection();
		c.setConnectTimeout(15_000);
		c.setReadTimeout(60_000);
		c.setInstanceFollowRedirects(true);
		int status = c.getResponseCode();
		if (status != HttpURLConnection.HTTP_OK) throw new IOException("HTTP " + status + " from " + model.url());
		long total = c.getContentLengthLong();
		MessageDigest digest = sha256Digest();
		try (InputStream in = new DigestInputStream(c.getInputStream(), digest); OutputStream out = Files.newOutputStream(tmp)) {
			byte[] buf = new byte[1 << 16];
			long done = 0;
			for (int n; (n = in.read(buf)) > 0;) {
				out.write(buf, 0, n);
				done += n;
				if (progress != null) progress.update(done, total);
			}
		} finally {
			c.disconnect();
		}
		String got = HexFormat.of().formatHex(digest.digest());
		if (!got.equals(model.sha256()))
			throw new UserError("The download of " + model.id() + " from " + model.url() + " has SHA-256 " + got + ", expected "
					+ model.sha256() + ": the origin changed or the transfer was corrupted. Nothing was saved; fetch the file "
					+ "yourself and check it, then save it as " + cacheDir.resolve(model.fileName()));
	}

	private static void requireHash(PretrainedModel model, Path file) {
		String got = hashOf(file);
		if (!got.equals(model.sha256()))
			throw new UserError("The file " + file + " is not the expected " + model.id() + " model: its SHA-256 is " + got
					+ ", expected " + model.sha256() + ". Delete it and fetch " + model.url() + " again.");
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
		MessageDigest digest = sha256Digest();
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		} catch (IOException e) {
			throw new UserError("Could not read " + file + ": " + AtomicFiles.describe(e), e);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static MessageDigest sha256Digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java runtime has SHA-256", e);
		}
	}
}
