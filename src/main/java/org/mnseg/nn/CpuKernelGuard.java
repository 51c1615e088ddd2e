package org.mnseg.nn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.mnseg.util.CacheFolder;
import org.mnseg.util.UserError;

/**
 * Keeps PyTorch's CPU convolution kernels (oneDNN) on an instruction set that computes correctly on this processor.
 *
 * <p>On AMD Zen 5 processors (family 26) the oneDNN build inside PyTorch 2.7.1 computes wrong input gradients of 3-D
 * convolutions with its AVX2 and AVX-512 kernels (and wrong outputs of some 2-D ones): training then drifts from run
 * to run and soon gives NaN losses. Its AVX kernels are correct there. oneDNN reads its instruction-set cap once, from
 * the environment variable {@code DNNL_MAX_CPU_ISA}, when it first runs; so the cap is put into this process's own
 * environment before the engine starts. A user's own {@code DNNL_MAX_CPU_ISA} always wins.
 *
 * <p>After the engine starts, {@link #verify()} compares the engine's convolution input gradient with the same
 * gradient computed as a forward convolution with the flipped kernel. A processor not known to be affected that fails
 * this check is recorded in the cache folder ({@code cpu-kernels.properties}), so that every later start caps it too.
 */
public final class CpuKernelGuard {
	private CpuKernelGuard() {}

	static final String ISA_VARIABLE = "DNNL_MAX_CPU_ISA";
	/** The widest instruction set whose kernels passed the check on the affected processors. */
	static final String SAFE_ISA = "AVX";
	private static final String RECORD_FILE = "cpu-kernels.properties";

	private static String appliedCap;
	private static boolean verified;

	/**
	 * Caps oneDNN's instruction set when this processor needs it. Called by {@link EngineEnvironment#beforeEngineStart()}
	 * before anything starts the engine; later calls do nothing.
	 */
	public static synchronized void beforeEngineStart() {
		if (appliedCap != null) return;
		appliedCap = "";
		if (userCap() != null) return;
		String cap = capFor(processorId(), knownAffected(cpuInfo()), readRecord(recordFile()));
		if (cap != null && NativeEnvironment.set(ISA_VARIABLE, cap)) appliedCap = cap;
	}

	/** The cap this process runs with: the user's, the one applied here, or null (oneDNN's own choice). */
	public static synchronized String effectiveCap() {
		String user = userCap();
		if (user != null) return user;
		return appliedCap == null || appliedCap.isEmpty() ? null : appliedCap;
	}

	/**
	 * Checks, once per process, that the engine's convolution gradients are right. On a failure the processor is
	 * recorded (so the next start caps it) and the run stops with a message: the kernels of a running engine cannot be
	 * changed.
	 */
	public static synchronized void verify() {
		if (verified) return;
		judge(CpuKernelGuard::convolutionGradientError, System.err::println);
		verified = true;
	}

	/** Largest relative gradient error the check accepts (float rounding stays below 1e-5). */
	public static final double TOLERANCE = 1e-3;
	/**
	 * Checks run again after a failed one. The known fault (Zen 5's AVX2 and AVX-512 kernels) fails every check, with
	 * about the same error each time (0.23 in 12 of 12). Under the AVX cap a check once found no gradient at all
	 * (relative error 1: DJL reads a missing gradient as zeros), in a test's subprocess during a CI run, and 889 checks
	 * in one process and 55 in fresh ones after it passed. Such a one-off should not stop a run; a real fault still does.
	 */
	static final int RECHECKS = 2;

	/** Returns when the check passes, or fails once and then passes every recheck (said through warn); else throws. */
	static void judge(DoubleSupplier check, Consumer<String> warn) {
		double first = check.getAsDouble();
		if (first <= TOLERANCE) return;
		for (int i = 0; i < RECHECKS; i++) {
			double again = check.getAsDouble();
			if (again > TOLERANCE) throw failure(Math.max(first, again));
		}
		warn.accept(String.format(Locale.ROOT, "M&N: one check of PyTorch's convolution gradients failed (relative error %.3g) and the next %d "
			+ "passed; going on.", first, RECHECKS));
	}

	/** The stop for kernels that failed two checks; where they ran uncapped, the processor is recorded first. */
	private static UserError failure(double error) {
		String cap = effectiveCap();
		if (cap != null && !cap.equals("ALL"))
			return new UserError(String.format(Locale.ROOT, "PyTorch's CPU convolution kernels compute wrong gradients on this processor (%s) even "
				+ "with %s=%s (relative error %.3g, on two checks). Try %s=SSE41 (slower).", processorId(), ISA_VARIABLE, cap, error, ISA_VARIABLE));
		try {
			record(recordFile(), processorId(), SAFE_ISA);
		} catch (IOException e) {
			return new UserError("PyTorch's CPU convolution kernels compute wrong gradients on this processor (" + processorId() + "). Set the "
				+ "environment variable " + ISA_VARIABLE + "=" + SAFE_ISA + " before starting (the cache folder could not record this: "
				+ e.getMessage() + ").");
		}
		return new UserError("PyTorch's CPU convolution kernels compute wrong gradients on this processor (" + processorId() + ") with their "
			+ "fastest instruction set. This is now recorded: from the next start on, M&N uses the " + SAFE_ISA + " kernels, which "
			+ "compute correctly. Please start again.");
	}

	/** The cap for a processor: a recorded one first, then the known-affected rule; null for none. */
	static String capFor(String processor, boolean knownAffected, Properties record) {
		String recorded = record.getProperty(recordKey(processor));
		if (recorded != null && !recorded.isBlank()) return recorded.trim();
		return knownAffected ? SAFE_ISA : null;
	}

	/** AMD family 26 (Zen 5), from /proc/cpuinfo's text. */
	static boolean knownAffected(String cpuinfo) {
		String vendor = field(cpuinfo, "vendor_id"), family = field(cpuinfo, "cpu family");
		return "AuthenticAMD".equals(vendor) && "26".equals(family);
	}

	/**
	 * Largest relative difference between the engine's input gradient of a 3-D convolution and the same gradient as a
	 * forward convolution of the output gradient with the kernel flipped in space and transposed in channels. Shapes
	 * cover the small channel counts where the affected kernels went wrong. Public for the cap's benchmark
	 * (scripts/bench-kernel-cap), which scores every level with it.
	 */
	public static double convolutionGradientError() {
		Engine.getEngine("PyTorch");
		double worst = 0;
		int[][] channels = {{1, 4}, {8, 4}, {4, 4}, {16, 16}};
		Random random = new Random(7);
		try (NDManager manager = NDManager.newBaseManager()) {
			for (int[] c : channels) {
				Shape xShape = new Shape(2, c[0], 16, 32, 16);
				Shape wShape = new Shape(c[1], c[0], 3, 3, 3);
				for (int repeat = 0; repeat < 2; repeat++) {
					try (NDManager step = manager.newSubManager()) {
						NDArray x = step.create(gaussian(random, xShape.size(), 1f), xShape);
						NDArray w = step.create(gaussian(random, wShape.size(), 0.2f), wShape);
						x.setRequiresGradient(true);
						NDArray y;
						try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
							y = Ops.conv3d(x, w, null, 1);
							// d/dy of sum(y^2)/2 is y itself
							collector.backward(y.mul(y).sum().div(2f));
						}
						NDArray flipped = w.flip(2, 3, 4).transpose(1, 0, 2, 3, 4);
						NDArray expected = Ops.conv3d(y.stopGradient(), flipped, null, 1);
						NDArray actual = x.getGradient();
						double scale = expected.abs().max().getFloat();
						double diff = actual.sub(expected).abs().max().getFloat();
						if (!Double.isFinite(diff)) return Double.POSITIVE_INFINITY;
						worst = Math.max(worst, diff / Math.max(scale, 1e-12));
					}
				}
			}
		}
		return worst;
	}

	private static float[] gaussian(Random random, long n, float scale) {
		float[] v = new float[Math.toIntExact(n)];
		for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian() * scale;
		return v;
	}

	private static String userCap() {
		String v = System.getenv(ISA_VARIABLE);
		return v == null || v.isBlank() ? null : v.trim();
	}

	/** The processor's model name, vendor, family and model, from /proc/cpuinfo (the architecture where that is absent). */
	public static String processorId() {
		String info = cpuInfo();
		String name = field(info, "model name");
		if (name == null) return System.getProperty("os.arch", "unknown");
		return name + " (" + field(info, "vendor_id") + " family " + field(info, "cpu family") + " model " + field(info, "model") + ")";
	}

	private static String cpuInfo() {
		try {
			Path p = Paths.get("/proc/cpuinfo");
			return Files.isReadable(p) ? Files.readString(p) : "";
		} catch (IOException | RuntimeException e) {
			return "";
		}
	}

	private static String field(String cpuinfo, String key) {
		for (String line : cpuinfo.split("\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).trim().equals(key)) return line.substring(colon + 1).trim();
		}
		return null;
	}

	static Path recordFile() {
		return CacheFolder.root().resolve(RECORD_FILE);
	}

	static Properties readRecord(Path file) {
		Properties props = new Properties();
		if (Files.isRegularFile(file)) {
			try (InputStream in = Files.newInputStream(file)) {
				props.load(in);
			} catch (IOException | IllegalArgumentException e) {
				// an unreadable record is no record: the check runs again and writes a fresh one
			}
		}
		return props;
	}

	static void record(Path file, String processor, String cap) throws IOException {
		Properties props = readRecord(file);
		props.setProperty(recordKey(processor), cap);
		Files.createDirectories(file.getParent());
		Path tmp = Files.createTempFile(file.getParent(), RECORD_FILE, ".part");
		try (OutputStream out = Files.newOutputStream(tmp)) {
			props.store(out, "oneDNN instruction-set caps for processors whose fastest kernels failed M&N's gradient check");
		}
		Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static String recordKey(String processor) {
		return processor.replaceAll("[^A-Za-z0-9._-]+", "_");
	}
}
