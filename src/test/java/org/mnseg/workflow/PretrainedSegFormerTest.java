package org.mnseg.workflow;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.bundle.TensorStore;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;
import org.mnseg.pretrained.PretrainedModel;
import org.mnseg.pretrained.PretrainedModels;
import org.mnseg.pretrained.WeightsSource;
import org.mnseg.pretrained.safetensors.Safetensors;
import org.mnseg.testutil.SharedData;
import org.mnseg.testutil.StepCounter;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.RunListener;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * Issue 13: a {@code segformer-b0} training run starts from the published checkpoint, found the way every run finds
 * it (cache, else a checked download, or {@code --weights2d FILE}). A local server plays Hugging Face: it redirects
 * the pinned revision's URL to its "CDN" and announces the file's SHA-256 in {@code X-Linked-Etag}, serving the golden
 * B0 checkpoint of the shared folder (a B0 with 150 labels, the ADE20K checkpoint's sizes). With decoder-only
 * fine-tuning the encoder stays frozen, so the saved bundle must hold the file's encoder tensors exactly.
 */
public class PretrainedSegFormerTest {
	private static final String ENCODER_TENSOR = "segformer.encoder.patch_embeddings.0.proj.weight";
	private static final PretrainedModel B0 = PretrainedModels.SEGFORMER_ADE20K.get(0);
	private static final String[] PROPERTIES = { "mn.cache", "mn.hf.endpoint", "mn.offline" };

	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path dataset;
	private static HttpServer server;
	private static byte[] golden;
	private static String goldenSha;
	/** What the server announces as the file's SHA-256. */
	private static final AtomicReference<String> announced = new AtomicReference<>();
	private static final AtomicInteger fileRequests = new AtomicInteger();

	private final Map<String, String> saved = new LinkedHashMap<>();
	private Path cacheRoot;

	@BeforeClass
	public static void serve() throws Exception {
		dataset = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 0, 7);
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		String pinned = B0.url().substring("https://huggingface.co".length()); // the pinned revision's path
		server.createContext("/", exchange -> {
			String path = exchange.getRequestURI().getRawPath();
			if (path.equals(pinned) || path.equals(pinned.replace("%2F", "/"))) {
				exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + announced.get() + "\"");
				exchange.getResponseHeaders().add("Location", "/cdn/b0");
				exchange.sendResponseHeaders(302, -1);
			} else if (path.equals("/cdn/b0")) {
				fileRequests.incrementAndGet();
				exchange.sendResponseHeaders(200, golden.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(golden);
				}
			} else {
				exchange.sendResponseHeaders(404, -1);
			}
			exchange.close();
		});
		server.start();
	}

	@AfterClass
	public static void stop() {
		if (server != null) server.stop(0);
	}

	@Before
	public void pointAtTheLocalServer() throws Exception {
		Path file = SharedData.require("models/golden/segformer/b0.safetensors");
		golden = Files.readAllBytes(file);
		goldenSha = WeightsSource.sha256(file);
		announced.set(goldenSha);
		for (String p : PROPERTIES) saved.put(p, System.getProperty(p));
		cacheRoot = tmp.newFolder().toPath();
		System.setProperty("mn.cache", cacheRoot.toString());
		System.setProperty("mn.hf.endpoint", "http://127.0.0.1:" + server.getAddress().getPort());
		System.clearProperty("mn.offline");
	}

	@After
	public void restore() {
		saved.forEach((k, v) -> {
			if (v == null) System.clearProperty(k);
			else System.setProperty(k, v);
		});
	}

	/** 2d-only, one short epoch, decoder-only fine-tuning (the encoder stays as loaded). */
	private static Map<String, String> options() {
		Map<String, String> o = new LinkedHashMap<>();
		o.put("architecture2d", "segformer-b0");
		o.put("fine-tuning", "decoder");
		o.put("patch", "32,32,8");
		o.put("levels", "2");
		o.put("epochs", "1");
		o.put("iterations-per-epoch", "1");
		o.put("warmup-epochs", "0");
		o.put("slices2d", "2");
		return o;
	}

	private static TrainWorkflow.Request request(Path run, Map<String, String> o) {
		return new TrainWorkflow.Request(dataset, 2, "2d-only", "cpu", o, run, false, false, Device.cpu());
	}

	private static float[] fileTensor(Path file, String name) {
		try (Safetensors s = Safetensors.open(file)) {
			return s.floats(name);
		}
	}

	private static float[] bundleTensor(Path run, String name) {
		TensorStore.Tensor t = ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE)).models().get("2d").weights().get(name);
		assertTrue(name + " in the bundle", t != null);
		return t.data();
	}

	private Path cachedModels() {
		return cacheRoot.resolve("models");
	}

	private static void assertOneLine(String message) {
		assertFalse(message, message.contains("\n"));
	}

	@Test
	public void trainingStartsFromTheDownloadedCheckpointAndTheBundleNeedsItNoMore() throws Exception {
		Path run = tmp.newFolder().toPath().resolve("run");
		int before = fileRequests.get();
		TrainWorkflow.run(request(run, options()), RunListener.NONE, () -> false);
		assertEquals("downloaded once", before + 1, fileRequests.get());

		Path cached = cachedModels().resolve(B0.fileName());
		assertArrayEquals(golden, Files.readAllBytes(cached));
		assertEquals(goldenSha, Files.readString(cachedModels().resolve(B0.fileName() + ".sha256")).trim());
		// frozen encoder: the bundle holds the checkpoint's tensor exactly; before this issue it held random values
		assertArrayEquals(fileTensor(cached, ENCODER_TENSOR), bundleTensor(run, ENCODER_TENSOR), 0f);

		JsonObject result = Json.read(run.resolve("result.json")).getAsJsonObject();
		JsonObject provenance = result.getAsJsonObject("pretrained2d");
		assertEquals(B0.id(), provenance.get("id").getAsString());
		assertEquals(goldenSha, provenance.get("sha256").getAsString());
		assertTrue(provenance.toString(), provenance.get("check").getAsString().contains("announced"));
		assertEquals(goldenSha, ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE)).info().pretrained2d.get("sha256"));

		// a second run finds the cached file: no new download
		TrainWorkflow.run(request(tmp.newFolder().toPath().resolve("again"), options()), RunListener.NONE, () -> false);
		assertEquals(before + 1, fileRequests.get());

		// the bundle opens offline with the checkpoint gone: it holds every parameter
		try (Stream<Path> files = Files.list(cachedModels())) {
			for (Path f : files.toList()) Files.delete(f);
		}
		System.setProperty("mn.offline", "true");
		ModelBundle bundle = ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE));
		try (NDManager m = NDManager.newBaseManager(Device.cpu()); Network net = bundle.instantiate("2d", m)) {
			Param p = net.params().stream().filter(q -> q.name().equals(ENCODER_TENSOR)).findFirst().orElseThrow();
			assertArrayEquals(bundleTensor(run, ENCODER_TENSOR), p.array().toFloatArray(), 0f);
		}
	}

	@Test
	public void aDownloadThatDoesNotMatchItsAnnouncedHashIsRefusedAndLeavesNothing() throws Exception {
		announced.set("0".repeat(64));
		Path run = tmp.newFolder().toPath().resolve("run");
		try {
			TrainWorkflow.run(request(run, options()), RunListener.NONE, () -> false);
			fail("expected a UserError");
		} catch (UserError e) {
			assertOneLine(e.getMessage());
			assertTrue(e.getMessage(), e.getMessage().contains("SHA-256 " + goldenSha) && e.getMessage().contains("Nothing was saved"));
		}
		try (Stream<Path> files = Files.exists(cachedModels()) ? Files.list(cachedModels()) : Stream.empty()) {
			assertEquals("nothing in the cache", List.of(), files.toList());
		}
		assertFalse("no run folder", Files.exists(run));
	}

	@Test
	public void offlineWithoutTheFileGivesOneMessageBeforeAnythingElse() throws Exception {
		System.setProperty("mn.offline", "true");
		Path run = tmp.newFolder().toPath().resolve("run");
		try {
			TrainWorkflow.run(request(run, options()), RunListener.NONE, () -> false);
			fail("expected a UserError");
		} catch (UserError e) {
			String m = e.getMessage();
			assertOneLine(m);
			assertTrue(m, m.contains(B0.url()) && m.contains(cachedModels().resolve(B0.fileName()).toString()) && m.contains("--weights2d"));
		}
		assertFalse("no run folder", Files.exists(run));
	}

	@Test
	public void weights2dNamesTheFileOffline() throws Exception {
		System.setProperty("mn.offline", "true");
		Path file = SharedData.require("models/golden/segformer/b0.safetensors");
		Path run = tmp.newFolder().toPath().resolve("run");
		Map<String, String> o = options();
		o.put("weights2d", file.toString());
		int before = fileRequests.get();
		TrainWorkflow.run(request(run, o), RunListener.NONE, () -> false);
		assertEquals(before, fileRequests.get());
		assertArrayEquals(fileTensor(file, ENCODER_TENSOR), bundleTensor(run, ENCODER_TENSOR), 0f);
		JsonObject plan = Json.read(run.resolve("plan.json")).getAsJsonObject();
		assertEquals(file.toAbsolutePath().normalize().toString(), plan.getAsJsonObject("settings").get("weights2d").getAsString());
		JsonObject provenance = Json.read(run.resolve("result.json")).getAsJsonObject().getAsJsonObject("pretrained2d");
		assertEquals(goldenSha, provenance.get("sha256").getAsString());
		assertTrue(provenance.toString(), provenance.get("check").getAsString().contains("named by the user"));
	}

	/** --weights2d also names a TFLite network's file (instead of the weights_file option); its bundle carries it. */
	@Test
	public void weights2dAlsoNamesATfliteFile() throws Exception {
		PretrainedModel pascal = PretrainedModels.DEEPLABV3_PASCAL;
		Path copy = tmp.newFolder().toPath().resolve("my-copy.tflite");
		Files.copy(SharedData.require("models/" + pascal.fileName()), copy);
		System.setProperty("mn.offline", "true");
		Path run = tmp.newFolder().toPath().resolve("run");
		Map<String, String> o = options();
		o.put("architecture2d", pascal.id());
		o.put("weights2d", copy.toString());
		TrainWorkflow.run(request(run, o), RunListener.NONE, () -> false);
		JsonObject provenance = Json.read(run.resolve("result.json")).getAsJsonObject().getAsJsonObject("pretrained2d");
		assertEquals(copy.toString(), provenance.get("file").getAsString());
		assertEquals(pascal.sha256(), provenance.get("sha256").getAsString());
		assertEquals(java.util.Set.of(pascal.fileName()), ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE)).pretrainedFiles());
		assertFalse("the bundle does not depend on the user's path", ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE)).models().get("2d").config()
			.containsKey("weights_file"));
	}

	/** The run's checkpoint holds every parameter: a resumed run needs no checkpoint file and keeps its provenance. */
	@Test
	public void aResumedRunNeedsNoFileAndKeepsItsProvenance() throws Exception {
		Path run = tmp.newFolder().toPath().resolve("run");
		Map<String, String> o = options();
		o.put("epochs", "2");
		StepCounter counter = new StepCounter();
		try {
			TrainWorkflow.run(request(run, o), counter, counter.cancelAfter(1));
			fail("expected cancellation");
		} catch (CancellationException e) {
			// the first epoch's checkpoint stays
		}
		try (Stream<Path> files = Files.list(cachedModels())) {
			for (Path f : files.toList()) Files.delete(f);
		}
		System.setProperty("mn.offline", "true");
		TrainWorkflow.run(new TrainWorkflow.Request(dataset, 2, "2d-only", "cpu", Map.of(), run, true, false, Device.cpu()), RunListener.NONE,
			() -> false);
		JsonObject provenance = Json.read(run.resolve("result.json")).getAsJsonObject().getAsJsonObject("pretrained2d");
		assertEquals(goldenSha, provenance.get("sha256").getAsString());
		assertEquals(goldenSha, ModelBundle.load(run.resolve(TrainWorkflow.BUNDLE_FILE)).info().pretrained2d.get("sha256"));
		assertArrayEquals(fileTensor(SharedData.require("models/golden/segformer/b0.safetensors"), ENCODER_TENSOR), bundleTensor(run, ENCODER_TENSOR), 0f);
	}

	@Test
	public void randomWeightsOnlyWhenAskedAndWithoutAnyFile() throws Exception {
		System.setProperty("mn.offline", "true");
		Path run = tmp.newFolder().toPath().resolve("run");
		Map<String, String> o = options();
		o.put("pretrained2d", "false");
		o.put("fine-tuning", "whole");
		TrainWorkflow.run(request(run, o), RunListener.NONE, () -> false);
		assertFalse(Json.read(run.resolve("result.json")).getAsJsonObject().has("pretrained2d"));
	}
}
