package org.mnseg.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.mnseg.testutil.OtherSystemJvm;
import org.mnseg.util.UserError;

/**
 * Before the engine starts, a computer without PyTorch natives gets one line that says why and what to do. Each case
 * runs in a JVM told it is another system (os.name, os.arch), with this class path: its natives are Linux x86-64's.
 */
public class EngineNativesTest {
	@Test
	public void thisLinuxMachineHasItsNatives() throws Exception {
		assertEquals("ok", checkAs("Linux", "amd64", true));
	}

	@Test
	public void anIntelMacIsToldPyTorchHasNoBuildForIt() throws Exception {
		String m = checkAs("Mac OS X", "x86_64", false);
		assertTrue(m, m.startsWith("M&N's engine (PyTorch 2.7.1) has no build for this computer (osx-x86_64): it runs on 64-bit Linux"));
	}

	@Test
	public void offlineWithoutThisPlatformsNativesNamesTheJarAndWhereToGetIt() throws Exception {
		String m = checkAs("Linux", "aarch64", true);
		assertTrue(m, m.startsWith("The PyTorch libraries for this computer (linux-aarch64) are not installed: in Fiji run Help > Update..."));
		assertTrue(m, m.contains("pytorch-native-cpu-2.7.1-linux-aarch64.jar"));
	}

	@Test
	public void onlineTheEngineMayFetchThemItself() throws Exception {
		assertEquals("ok", checkAs("Linux", "aarch64", false));
	}

	@Test
	public void anOperatingSystemTheEngineDoesNotKnow() throws Exception {
		String m = checkAs("FreeBSD", "amd64", false);
		assertTrue(m, m.startsWith("M&N's engine (PyTorch) does not run on FreeBSD: use 64-bit Linux"));
	}

	/** What {@link EngineNatives} says in a JVM that sees {@code osName} and {@code osArch}: "ok", or its message. */
	private static String checkAs(String osName, String osArch, boolean offline) throws Exception {
		return OtherSystemJvm.lastLine(osName, osArch, List.of("ai.djl.offline=" + offline), OtherSystemJvm.testClassPath(), Check.class);
	}

	/** Runs the check and prints "ok" or the user's message: a plain main, run in a child JVM. */
	public static final class Check {
		public static void main(String[] args) {
			try {
				EngineNatives.requireForThisComputer();
				System.out.println("ok");
			} catch (UserError e) {
				System.out.println(e.getMessage());
			}
		}
	}
}
