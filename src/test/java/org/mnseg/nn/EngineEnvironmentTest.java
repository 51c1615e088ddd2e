package org.mnseg.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

public class EngineEnvironmentTest {

	@Test
	public void hugePagesAreAskedForUnlessTheUserSaidOtherwise() {
		EngineEnvironment.beforeEngineStart();
		String user = System.getenv(EngineEnvironment.HUGE_PAGES);
		assertEquals(user != null ? user : "1", NativeEnvironment.get(EngineEnvironment.HUGE_PAGES));
	}

	@Test
	public void aLargeTensorLiesInHugePagesWhereTheSystemAllowsThem() throws Exception {
		Path setting = Paths.get("/sys/kernel/mm/transparent_hugepage/enabled");
		Path rollup = Paths.get("/proc/self/smaps_rollup");
		assumeTrue("transparent huge pages are not available here", Files.isReadable(setting) && Files.isReadable(rollup)
			&& !Files.readString(setting).contains("[never]"));
		assumeTrue("the test run asked for no huge pages", !"0".equals(System.getenv(EngineEnvironment.HUGE_PAGES)));
		EngineEnvironment.beforeEngineStart();
		try (NDManager m = NDManager.newBaseManager()) {
			long before = anonHugePagesKb(rollup);
			NDArray big = m.ones(new Shape(16, 1024, 1024)); // 64 MB, written by the engine
			long after = anonHugePagesKb(rollup);
			assertEquals(16f * 1024 * 1024, big.sum().getFloat(), 0f);
			assertTrue("huge pages grew by " + (after - before) + " kB for a 64 MB tensor", after - before >= 32 * 1024);
		}
	}

	private static long anonHugePagesKb(Path rollup) throws Exception {
		for (String line : Files.readAllLines(rollup))
			if (line.startsWith("AnonHugePages:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
		throw new AssertionError("no AnonHugePages in " + rollup);
	}
}
