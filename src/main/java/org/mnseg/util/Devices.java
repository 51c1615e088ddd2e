package org.mnseg.util;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Chooses where the networks run. CUDA comes from DJL's standard native flavours when a user installs one; this
 * project ships and tests only the CPU natives.
 */
public final class Devices {
	private Devices() {}

	public static final String CHOICES = "auto, cpu, gpu";

	public static Device resolve(String choice) {
		String c = choice == null ? "auto" : choice.toLowerCase(java.util.Locale.ROOT);
		switch (c) {
			case "cpu":
				return Device.cpu();
			case "gpu":
				if (Engine.getInstance().getGpuCount() == 0)
					throw new UserError("--device gpu was asked for, but the PyTorch engine sees no CUDA GPU (it runs the CPU build). "
						+ "Use --device cpu, or install DJL's CUDA native flavour for your PyTorch version.");
				return Device.gpu();
			case "auto":
				return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
			default:
				throw new UserError("Unknown device '" + choice + "'. Choose one of: " + CHOICES + ".");
		}
	}
}
