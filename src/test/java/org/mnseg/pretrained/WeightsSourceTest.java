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
}
