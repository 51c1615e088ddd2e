package org.mnseg.nn;

/**
 * Settings that PyTorch's native libraries read from the process environment once, when they first run, so they are
 * put there before the engine starts. Call {@link #beforeEngineStart()} first thing; later calls do nothing. A
 * user's own value of any of these variables always wins.
 *
 * <ul>
 * <li>the CPU kernels' instruction set: {@link CpuKernelGuard};</li>
 * <li>transparent huge pages for large tensors ({@value #HUGE_PAGES}=1). A sliding-window batch or a training step
 * allocates activations of tens of MB afresh, and with 4 KB pages each costs thousands of page faults: on the 2-core
 * machine with a training beside it, a sliding-window inference took 43-58 s without and 17-21 s with huge pages.
 * PyTorch (2.1 and later) then advises huge pages for its allocations of 2 MB and more; the operating system decides
 * (transparent_hugepage "madvise" or "always"; with "never" nothing changes).</li>
 * </ul>
 */
public final class EngineEnvironment {
	private EngineEnvironment() {}

	static final String HUGE_PAGES = "THP_MEM_ALLOC_ENABLE";

	private static boolean done;

	public static synchronized void beforeEngineStart() {
		if (done) return;
		done = true;
		CpuKernelGuard.beforeEngineStart();
		if (NativeEnvironment.get(HUGE_PAGES) == null) NativeEnvironment.set(HUGE_PAGES, "1");
	}
}
