package org.mnseg.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd switch is per thread and on by default; DJL turns it off only on the thread that starts the
 * engine, and its gradient collector leaves it on when it found it on. Fiji runs commands on threads of its own
 * (ImageJ's "Run$_" threads, SciJava's pool), where the optimiser's in-place weight updates would then be refused
 * ("a leaf Variable that requires grad is being used in an in-place operation") and inference would record graphs.
 * Training and inference therefore start by putting their thread into the state the engine's own thread has.
 */
public final class EngineThreads {
	private EngineThreads() {}

	/**
	 * Starts the engine if needed (with the settings of {@link EngineEnvironment}, on kernels that compute correctly on
	 * this processor: {@link CpuKernelGuard}) and
	 * turns autograd off on the calling thread (gradient collectors turn it on).
	 */
	public static void prepare() {
		EngineEnvironment.beforeEngineStart();
		EngineNatives.requireForThisComputer();
		Engine.getEngine("PyTorch");
		CpuKernelGuard.verify();
		JniUtils.setGradMode(false);
	}
}
