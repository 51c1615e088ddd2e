package org.mnseg.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.Test;

public class CpuKernelGuardTest {
	@Test
	public void engineComputesCorrectConvolutionGradientsOnTheKernelsChosen() {
		CpuKernelGuard.beforeEngineStart();
		double error = CpuKernelGuard.convolutionGradientError();
		assertTrue("relative error " + error + " with cap " + CpuKernelGuard.effectiveCap(), error <= 1e-3);
		CpuKernelGuard.verify();
	}

	@Test
	public void zen5IsKnownAffectedOtherProcessorsAreNot() {
		String zen5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nmodel name\t: AMD EPYC\n";
		String zen4 = zen5.replace(": 26", ": 25");
		String intel = zen5.replace("AuthenticAMD", "GenuineIntel").replace(": 26", ": 6");
		assertTrue(CpuKernelGuard.knownAffected(zen5));
		assertFalse(CpuKernelGuard.knownAffected(zen4));
		assertFalse(CpuKernelGuard.knownAffected(intel));
		assertFalse(CpuKernelGuard.knownAffected(""));
	}

	@Test
	public void aRecordedProcessorIsCappedOnLaterStarts() throws Exception {
		Path dir = Files.createTempDirectory("guard");
		Path file = dir.resolve("cpu-kernels.properties");
		assertNull(CpuKernelGuard.capFor("Some CPU (x)", false, CpuKernelGuard.readRecord(file)));
		CpuKernelGuard.record(file, "Some CPU (x)", "AVX");
		Properties record = CpuKernelGuard.readRecord(file);
		assertEquals("AVX", CpuKernelGuard.capFor("Some CPU (x)", false, record));
		assertNull(CpuKernelGuard.capFor("Other CPU", false, record));
		assertEquals("AVX", CpuKernelGuard.capFor("Other CPU", true, record));
		try (var files = Files.list(dir)) {
			assertEquals("no .part left", 1, files.count());
		}
	}
}
