package org.mnseg.testutil;

import org.junit.runner.Description;
import org.junit.runner.notification.RunListener;
import org.mnseg.nn.EngineEnvironment;

/**
 * Many tests open an NDManager directly; the engine they start must run with the same settings (kernels, huge pages)
 * as the product's entry points choose (see {@link EngineEnvironment}), so they are set before the first test.
 */
public class EngineStartListener extends RunListener {
	@Override
	public void testRunStarted(Description description) {
		EngineEnvironment.beforeEngineStart();
	}
}
