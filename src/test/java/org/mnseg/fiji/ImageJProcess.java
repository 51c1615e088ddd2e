package org.mnseg.fiji;

import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Runs ImageJ 1.x in a separate JVM, as a user's ImageJ would run: menus built from {@code plugins.config} of the
 * jars in {@code plugins/}, macros through {@code ij.ImageJ -batch}. Plain ImageJ 1.x builds AWT menus even in
 * batch mode (Fiji's headless mode patches that away, which the jars available here cannot), so the JVM gets a
 * virtual X display (Xvfb) on which no window is ever shown in batch mode. Tests skip where Xvfb is missing.
 */
final class ImageJProcess {
	/** The screen of the shared display; {@link #LAPTOP} for tests that check what fits a small screen. */
	static final String DEFAULT_SCREEN = "1280x1024x24", LAPTOP = "1366x768x24";
	private static final Map<String, String> displays = new java.util.HashMap<>();

	private ImageJProcess() {}

	/** Output and exit code of a finished run. */
	record Result(int exitCode, String output) {}

	/** The X display of a shared Xvfb started on first use (skips the test where Xvfb is not installed). */
	static String display() throws IOException, InterruptedException {
		return display(DEFAULT_SCREEN);
	}

	/** The X display of an Xvfb with screen {@code screen} (width x height x depth), one per size, started on first use. */
	static synchronized String display(String screen) throws IOException, InterruptedException {
		if (displays.containsKey(screen)) return displays.get(screen);
		Path binary = Paths.get("/usr/bin/Xvfb");
		assumeTrue("skipped: Xvfb not installed (apt-get install xvfb); ImageJ 1.x needs a display for its menus", Files.isExecutable(binary));
		for (int n = 91; n < 140; n++) {
			if (Files.exists(Paths.get("/tmp/.X11-unix/X" + n)) || Files.exists(Paths.get("/tmp/.X" + n + "-lock"))) continue;
			Process p = new ProcessBuilder(binary.toString(), ":" + n, "-screen", "0", screen, "-nolisten", "tcp").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
			for (int i = 0; i < 50 && p.isAlive() && !Files.exists(Paths.get("/tmp/.X11-unix/X" + n)); i++) Thread.sleep(100);
			if (p.isAlive() && Files.exists(Paths.get("/tmp/.X11-unix/X" + n))) {
				displays.put(screen, ":" + n);
				Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
				return ":" + n;
			}
			p.destroy();
		}
		throw new IOException("could not start Xvfb on any display :91-:139");
	}

	/** The test JVM's class path entries that are jars, without the project's own classes. */
	static List<String> libraryJars() {
		List<String> jars = new ArrayList<>();
		for (String e : System.getProperty("java.class.path").split(File.pathSeparator))
			if (e.endsWith(".jar")) jars.add(e);
		return jars;
	}

	/** Packs target/classes (the plugin, with plugins.config) into {@code <fiji>/plugins/MN_Segmentation-test.jar}. */
	static Path pluginJar(Path fiji) throws IOException {
		Path classes = Paths.get("target/classes").toAbsolutePath();
		Path jar = fiji.resolve("plugins/MN_Segmentation-test.jar");
		Files.createDirectories(jar.getParent());
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
			for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
				out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
				Files.copy(f, out);
				out.closeEntry();
			}
		}
		return jar;
	}

	/**
	 * Runs {@code mainAndArgs} (a main class and its arguments) in a JVM with the given class path, ImageJ's plugins
	 * folder {@code fiji} and the virtual display, as Fiji's launcher starts ImageJ (everything on one class path).
	 * The engine runs offline; {@code engineCache} is where it unpacks the PyTorch natives from the class path (null:
	 * the test JVM's).
	 */
	static Result run(List<String> classPath, Path fiji, Path engineCache, int timeoutSeconds, String... mainAndArgs)
		throws IOException, InterruptedException {
		return runOnScreen(DEFAULT_SCREEN, classPath, fiji, engineCache, timeoutSeconds, mainAndArgs);
	}

	/** As {@link #run}, on a display with the screen {@code screen} (e.g. {@link #LAPTOP}). */
	static Result runOnScreen(String screen, List<String> classPath, Path fiji, Path engineCache, int timeoutSeconds, String... mainAndArgs)
		throws IOException, InterruptedException {
		return launch(onClassPath(classPath, fiji, mainAndArgs), fiji, engineCache, timeoutSeconds, display(screen));
	}

	/**
	 * Runs plain ImageJ 1.x as a user starts it, {@code java -jar <dir>/ij.jar -ijpath <dir> ARGS}: only ij.jar is on
	 * the class path, and ImageJ loads {@code plugins/} and {@code jars/} through its own plugin class loader.
	 */
	static Result runImageJJar(Path dir, Path engineCache, int timeoutSeconds, String... imagejArgs) throws IOException, InterruptedException {
		Path ij = dir.toAbsolutePath().resolve("ij.jar");
		List<String> args = new ArrayList<>(List.of("-jar", ij.toString(), "-ijpath", dir.toAbsolutePath().toString()));
		args.addAll(List.of(imagejArgs));
		return launch(args, dir, engineCache, timeoutSeconds, display());
	}

	/**
	 * Starts {@code mainAndArgs} as {@link #run} does, in {@code workingDir} (where a JVM crash would leave its hs_err
	 * file), without waiting: for tests that act on the run while it goes (standard error joins the output).
	 */
	static Process start(List<String> classPath, Path fiji, Path workingDir, String... mainAndArgs) throws IOException, InterruptedException {
		ProcessBuilder pb = processBuilder(onClassPath(classPath, fiji, mainAndArgs), fiji, null, display(DEFAULT_SCREEN)).directory(workingDir.toFile());
		Process p = pb.start();
		p.getOutputStream().close(); // no input
		return p;
	}

	/** The JVM's arguments for a main class on {@code classPath}, as Fiji's launcher starts ImageJ. */
	private static List<String> onClassPath(List<String> classPath, Path fiji, String... mainAndArgs) {
		List<String> args = new ArrayList<>(List.of("-Dplugins.dir=" + fiji.toAbsolutePath(), "-cp", String.join(File.pathSeparator, classPath)));
		args.addAll(List.of(mainAndArgs));
		return args;
	}

	/** The JVM command of every ImageJ run here: offline engine, two engine threads, its own user home, the display. */
	private static ProcessBuilder processBuilder(List<String> javaArgs, Path fiji, Path engineCache, String display) {
		List<String> cmd = new ArrayList<>();
		cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
		cmd.add("-Xmx3g");
		cmd.add("-Dai.djl.offline=true");
		cmd.add("-Dai.djl.pytorch.num_threads=2");
		cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
		cmd.add("-Duser.home=" + fiji.toAbsolutePath().resolve("home"));
		cmd.addAll(javaArgs);
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		Map<String, String> env = pb.environment();
		env.put("DISPLAY", display);
		if (engineCache != null) {
			env.put("ENGINE_CACHE_DIR", engineCache.toString());
			env.put("DJL_CACHE_DIR", engineCache.toString());
		}
		return pb;
	}

	private static Result launch(List<String> javaArgs, Path fiji, Path engineCache, int timeoutSeconds, String display)
		throws IOException, InterruptedException {
		ProcessBuilder pb = processBuilder(javaArgs, fiji, engineCache, display);
		Path log = Files.createTempFile("imagej", ".log");
		pb.redirectOutput(log.toFile());
		Process p = pb.start();
		try (OutputStream in = p.getOutputStream()) {
			// no input
		}
		if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			throw new AssertionError("ImageJ did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log));
		}
		String output = Files.readString(log);
		Files.delete(log);
		return new Result(p.exitValue(), output);
	}
}
