package org.mnseg.util;

import java.util.Locale;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * glibc's heap, where the engine's tensors live. glibc keeps freed memory in its arenas for reuse, and a phase that
 * allocates tensors of other sizes than the last (a foreground refresh after training steps, the 2-D model's step
 * after the 3-D model's) takes new memory beside what the last one left. {@link #trim} hands the free part back
 * between phases: on a 2-epoch LA-8 M&N smoke run of {@code scripts/bench-train-memory} the peak fell from 1878 to
 * 1777 MB, labeled-only's from 856 to 806 MB. Elsewhere (no glibc) it does nothing; {@value #SWITCH}=0 turns it off.
 */
public final class NativeHeap {
	private NativeHeap() {}

	static final String SWITCH = "MNSEG_MALLOC_TRIM";
	private static final Function MALLOC_TRIM = lookUp();

	private static Function lookUp() {
		if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") || "0".equals(System.getenv(SWITCH))) return null;
		try {
			return NativeLibrary.getInstance("c").getFunction("malloc_trim");
		} catch (UnsatisfiedLinkError | RuntimeException e) {
			return null; // a C library without it (musl)
		}
	}

	/** Hands the heap's free memory back to the system (glibc's malloc_trim(0)); whether anything was handed back. */
	public static boolean trim() {
		if (MALLOC_TRIM == null) return false;
		try {
			return MALLOC_TRIM.invokeInt(new Object[] { 0L }) == 1;
		} catch (UnsatisfiedLinkError | RuntimeException e) {
			return false;
		}
	}

	/** Whether {@link #trim} can work here. */
	public static boolean available() {
		return MALLOC_TRIM != null;
	}
}
