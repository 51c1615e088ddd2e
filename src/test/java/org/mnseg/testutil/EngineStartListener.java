package org.mnseg.testutil;

import org.junit.runner.Description;
import org.junit.runner.notification.RunListener;
import org.mnseg.nn.CpuKernelGuard;

/**
 * Many tests open an NDManager directly; the engine they start must run on the same kernels as the product's entry
 * points choose (see {@link CpuKernelGuard}), so the guard runs before the first test.
 */
public class EngineStartListener extends RunListener {
	@Override
	public void testRunStarted(Description description) {
		CpuKernelGuard.beforeEngineStart();
	}
}
