package org.mnseg.testutil;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a child JVM told it runs on another system (os.name, os.arch): how platform checks are tested
 * for Windows, macOS and ARM on this Linux machine. Only what reads those properties sees the other system.
 */
public final class OtherSystemJvm {
	private OtherSystemJvm() {}

	/**
	 * The last line {@code main} prints in a JVM with {@code osName} and {@code osArch}, the given system properties
	 * ("name=value") and class path; the JVM must end within a minute with exit code 0.
	 */
	public static String lastLine(String osName, String osArch, List<String> properties, List<String> classPath, Class<?> main) throws Exception {
		List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Dos.name=" + osName,
			"-Dos.arch=" + osArch));
		for (String p : properties) cmd.add("-D" + p);
		cmd.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), main.getName()));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		p.getOutputStream().close();
		String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(main.getSimpleName() + " did not end", p.waitFor(60, TimeUnit.SECONDS));
		assertEquals(output, 0, p.exitValue());
		String[] lines = output.strip().split("\n");
		return lines[lines.length - 1].strip();
	}

	/** This JVM's class path, as a list. */
	public static List<String> testClassPath() {
		return List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
	}
}
