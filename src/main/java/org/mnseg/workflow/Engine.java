package org.mnseg.workflow;

import org.mnseg.nn.EngineThreads;
import org.mnseg.util.Devices;

import ai.djl.Device;

/** The deep-learning engine as a front end starts it: thread counts set before it starts, the device "auto" picks. */
public final class Engine {
	private Engine() {}

	/** Call before anything that may start the engine (loading a model, building a network). */
	public static void prepare() {
		EngineThreads.prepare();
	}

	/** The GPU where the engine has one, else the CPU. */
	public static Device auto() {
		return Devices.resolve("auto");
	}
}
