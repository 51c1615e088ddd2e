package org.mnseg.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.DoubleSupplier;

import org.junit.Test;

import org.mnseg.util.UserError;

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

	/** A check that returns the given errors in turn and counts its calls. */
	private static final class Checks implements DoubleSupplier {
		final double[] errors;
		int calls;

		Checks(double... errors) {
			this.errors = errors;
		}

		@Override
		public double getAsDouble() {
			return errors[Math.min(calls++, errors.length - 1)];
		}
	}

	@Test
	public void aPassingCheckRunsOnceAndSaysNothing() {
		Checks checks = new Checks(1e-6);
		List<String> said = new ArrayList<>();
		CpuKernelGuard.judge(checks, said::add);
		assertEquals(1, checks.calls);
		assertTrue(said.isEmpty());
	}

	@Test
	public void aOneOffFailureIsRecheckedAndTheRunGoesOnWithAWarning() {
		Checks checks = new Checks(1.0, 1e-6, 1e-6);
		List<String> said = new ArrayList<>();
		CpuKernelGuard.judge(checks, said::add);
		assertEquals(1 + CpuKernelGuard.RECHECKS, checks.calls);
		assertEquals(1, said.size());
		assertTrue(said.get(0), said.get(0).contains("relative error 1.00"));
	}

	@Test
	public void aFaultThatRepeatsStopsTheRun() throws Exception {
		// where this processor runs uncapped, the stop records it: keep that record out of the user's cache folder
		String before = System.getProperty("mn.cache");
		Path cache = Files.createTempDirectory("guard-cache");
		System.setProperty("mn.cache", cache.toString());
		try {
			for (double[] errors : new double[][] { { 0.23, 0.23 }, { 0.23, 1e-6, 0.22 } }) {
				Checks checks = new Checks(errors);
				List<String> said = new ArrayList<>();
				try {
					CpuKernelGuard.judge(checks, said::add);
					fail("kernels that failed twice were accepted");
				} catch (UserError e) {
					assertTrue(e.getMessage(), e.getMessage().contains("wrong gradients"));
				}
				assertEquals(errors.length, checks.calls);
				assertTrue(said.isEmpty());
			}
		} finally {
			if (before == null) System.clearProperty("mn.cache");
			else System.setProperty("mn.cache", before);
		}
	}
}
