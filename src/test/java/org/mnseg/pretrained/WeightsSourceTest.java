package org.mnseg.pretrained;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;
import org.mnseg.testutil.SharedData;
import org.mnseg.util.UserError;

import com.sun.net.httpserver.HttpServer;

/** Resolution order, SHA-256 checks and the messages users see when a model is missing; nothing leaves this machine. */
public class WeightsSourceTest {

	private static PretrainedModel fake(String url, byte[] content) throws Exception {
		String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
		return new PretrainedModel("fake", "fake.tflite", url, sha, "test", "a test file");
	}

	@Test
	public void sharedFilesHashToTheRegisteredSha256() throws Exception {
		Path models = SharedData.require("models");
		for (PretrainedModel m : PretrainedModels.TFLITE)
			assertEquals(m.id(), m.sha256(), WeightsSource.sha256(models.resolve(m.fileName())));
		Path cache = Files.createTempDirectory("mn-cache");
		WeightsSource source = new WeightsSource(cache, models, false, null);
		assertEquals(models.resolve(PretrainedModels.DEEPLABV3_PASCAL.fileName()), source.resolve(PretrainedModels.DEEPLABV3_PASCAL));
	}

	@Test
	public void aFileWithTheWrongHashIsRefused() throws Exception {
		Path dir = Files.createTempDirectory("mn-cache");
		Path wrong = dir.resolve(PretrainedModels.DEEPLABV3_PASCAL.fileName());
		Files.write(wrong, "truncated".getBytes(StandardCharsets.UTF_8));
		WeightsSource source = new WeightsSource(dir, null, false, null);
		for (Path explicit : new Path[] { wrong, null }) {
			try {
				source.resolve(PretrainedModels.DEEPLABV3_PASCAL, explicit);
				fail("expected a UserError");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("SHA-256") && e.getMessage().contains(wrong.toString()));
			}
		}
	}

	@Test
	public void aFileChangedAfterItsCheckIsCheckedAgain() throws Exception {
		Path models = SharedData.require("models");
		PretrainedModel m = PretrainedModels.DEEPLABV3_PASCAL;
		Path cache = Files.createTempDirectory("mn-cache");
		Path cached = Files.copy(models.resolve(m.fileName()), cache.resolve(m.fileName()));
		WeightsSource source = new WeightsSource(cache, null, false, null);
		assertEquals(cached, source.resolve(m));
		// same size, one byte flipped: a remembered hash must not vouch for it
		byte[] bytes = Files.readAllBytes(cached);
		bytes[bytes.length / 2] ^= 1;
		Files.write(cached, bytes);
		Files.setLastModifiedTime(cached, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(cached).toMillis() + 2000));
		try {
			source.resolve(m);
			fail("expected a UserError");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("SHA-256"));
		}
	}

	@Test
	public void offlineMessageSaysWhatToPutWhere() throws Exception {
		Path cache = Files.createTempDirectory("mn-cache");
		try {
			new WeightsSource(cache, null, false, null).resolve(PretrainedModels.DEEPLABV3PLUS_ADE20K);
			fail("expected a UserError");
		} catch (UserError e) {
			String m = e.getMessage();
			assertTrue(m, m.contains(PretrainedModels.DEEPLABV3PLUS_ADE20K.url()));
			assertTrue(m, m.contains(cache.resolve(PretrainedModels.DEEPLABV3PLUS_ADE20K.fileName()).toString()));
			assertTrue(m, m.contains("offline"));
		}
	}

	@Test
	public void unreachableOriginGivesTheSameAdvice() throws Exception {
		Path cache = Files.createTempDirectory("mn-cache");
		// port 1 on the loopback interface: refused at once, no network involved
		PretrainedModel m = fake("http://127.0.0.1:1/fake.tflite", new byte[] { 1 });
		try {
			new WeightsSource(cache, null, true, null).resolve(m);
			fail("expected a UserError");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("download failed") && e.getMessage().contains(cache.resolve("fake.tflite").toString()));
		}
		assertFalse(Files.exists(cache.resolve("fake.tflite")));
	}

	@Test
	public void downloadIsCheckedReportedAndCached() throws Exception {
		byte[] content = new byte[200_000];
		new java.util.Random(1).nextBytes(content);
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", exchange -> {
			byte[] body = exchange.getRequestURI().getPath().endsWith("bad") ? new byte[] { 9, 9 } : content;
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		try {
			String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
			Path cache = Files.createTempDirectory("mn-cache");
			AtomicLong seen = new AtomicLong();
			AtomicLong announced = new AtomicLong();
			WeightsSource source = new WeightsSource(cache, null, true, (done, total) -> {
				announced.set(total);
				seen.set(done);
			});
			Path got = source.resolve(fake(base + "good", content));
			assertEquals(cache.resolve("fake.tflite"), got);
			assertEquals(content.length, seen.get());
			assertEquals(content.length, announced.get());
			assertEquals(content.length, Files.size(got));
			Files.delete(got);
			try {
				source.resolve(fake(base + "bad", content));
				fail("expected a UserError for the wrong hash");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("SHA-256"));
			}
			try (var files = Files.list(cache)) {
				assertEquals("nothing left behind", 0, files.count());
			}
		} finally {
			server.stop(0);
		}
	}

	/** A server like Hugging Face: the resolve URL redirects to the file, announcing its SHA-256 (or not). */
	private static HttpServer huggingFaceLike(byte[] content, String announced) throws Exception {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", exchange -> {
			if (exchange.getRequestURI().getPath().startsWith("/org/repo/resolve/")) {
				if (announced != null) exchange.getResponseHeaders().add("X-Linked-Etag", "W/\"" + announced + "\"");
				exchange.getResponseHeaders().add("Location", "/cdn/file");
				exchange.sendResponseHeaders(302, -1);
			} else {
				exchange.sendResponseHeaders(200, content.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(content);
				}
			}
			exchange.close();
		});
		server.start();
		return server;
	}

	private static PretrainedModel huggingFaceEntry(String sha256) {
		return new PretrainedModel("repo", "repo.safetensors", WeightsSource.HUGGING_FACE + "org/repo/resolve/0123abcd/model.safetensors", sha256, "test",
			"a test file");
	}

	private static String sha256(byte[] content) throws Exception {
		return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
	}

	private static long filesIn(Path dir) throws Exception {
		try (var files = Files.list(dir)) {
			return files.count();
		}
	}

	@Test
	public void aPinnedHuggingFaceFileComesThroughTheMirrorCheckedByTheRegistry() throws Exception {
		byte[] content = new byte[50_000];
		new java.util.Random(2).nextBytes(content);
		// the server announces the true hash; a pinned entry is checked against the registry all the same
		HttpServer server = huggingFaceLike(content, sha256(content));
		try {
			String mirror = "http://127.0.0.1:" + server.getAddress().getPort();
			Path cache = Files.createTempDirectory("mn-cache");
			WeightsSource source = new WeightsSource(cache, null, true, null).withHuggingFaceEndpoint(mirror);
			try {
				source.resolve(huggingFaceEntry("0".repeat(64)));
				fail("expected a UserError for a file other than the pinned one");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("expected " + "0".repeat(64)));
			}
			assertEquals("nothing left behind", 0, filesIn(cache));
			WeightsSource.Resolved r = source.resolveChecked(huggingFaceEntry(sha256(content)), null);
			assertEquals(cache.resolve("repo.safetensors"), r.file());
			assertTrue(r.check(), r.check().contains("registry"));
			assertEquals("no hash record for a pinned file", 1, filesIn(cache));
		} finally {
			server.stop(0);
		}
	}

	@Test
	public void anUnpinnedFileIsCheckedAgainstTheAnnouncedHashAndThatHashIsKept() throws Exception {
		byte[] content = new byte[30_000];
		new java.util.Random(3).nextBytes(content);
		Path cache = Files.createTempDirectory("mn-cache");
		HttpServer silent = huggingFaceLike(content, null);
		try {
			new WeightsSource(cache, null, true, null).withHuggingFaceEndpoint("http://127.0.0.1:" + silent.getAddress().getPort())
				.resolve(huggingFaceEntry(null));
			fail("an unpinned file without an announced hash must not be downloaded");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains("did not announce") && !e.getMessage().contains("\n"));
		} finally {
			silent.stop(0);
		}
		assertEquals(0, filesIn(cache));

		HttpServer server = huggingFaceLike(content, sha256(content));
		try {
			WeightsSource source = new WeightsSource(cache, null, true, null).withHuggingFaceEndpoint("http://127.0.0.1:" + server.getAddress().getPort());
			WeightsSource.Resolved r = source.resolveChecked(huggingFaceEntry(null), null);
			assertTrue(r.check(), r.check().contains("announced"));
			assertEquals(sha256(content), Files.readString(cache.resolve("repo.safetensors.sha256")).trim());
			// later runs check the cached file against the kept hash
			assertTrue(source.resolveChecked(huggingFaceEntry(null), null).check().contains("recorded"));
			byte[] changed = content.clone();
			changed[7] ^= 1;
			Files.write(r.file(), changed);
			Files.setLastModifiedTime(r.file(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
			try {
				source.resolve(huggingFaceEntry(null));
				fail("expected a UserError for a changed file");
			} catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("SHA-256"));
			}
		} finally {
			server.stop(0);
		}
	}

	@Test
	public void everySegFormerEntryNamesARevisionAndPinnedOnesAreWellFormed() {
		for (PretrainedModel m : java.util.stream.Stream.concat(PretrainedModels.SEGFORMER_ADE20K.stream(), PretrainedModels.MIT_IMAGENET.stream()).toList()) {
			assertTrue(m.url(), m.url().matches("https://huggingface\\.co/nvidia/[a-z0-9-]+/resolve/([0-9a-f]{40}|refs%2Fpr%2F[0-9]+|main)/model\\.safetensors"));
			assertEquals(m.id() + ".safetensors", m.fileName());
		}
		assertEquals(6, PretrainedModels.SEGFORMER_ADE20K.size());
		assertEquals(6, PretrainedModels.MIT_IMAGENET.size());
	}
}
