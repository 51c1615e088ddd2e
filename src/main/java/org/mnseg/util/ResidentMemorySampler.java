package org.mnseg.util;

/**
 * The highest resident memory of this process between two readings, sampled by a daemon thread every
 * {@code periodMillis}. A training log row's resident memory read at the end of its epoch misses what the epoch's
 * phases held in between (a foreground refresh, a teacher's batch, a validation): this peak shows which phase sets the
 * run's peak. The kernel's own high-water mark is left alone: resetting it would also lower the peak that
 * {@code /usr/bin/time} and the run's result report. Peaks shorter than one period may be missed.
 */
public final class ResidentMemorySampler implements AutoCloseable {
	private final Thread thread;
	private double peakMb = -1;
	private volatile boolean running = true;

	private ResidentMemorySampler(long periodMillis) {
		thread = new Thread(() -> {
			while (running) {
				sample();
				try {
					Thread.sleep(periodMillis);
				} catch (InterruptedException e) {
					return; // closed
				}
			}
		}, "mn-resident-memory-sampler");
		thread.setDaemon(true);
	}

	/** Starts sampling now; {@link #close} stops it. Where /proc is not available, every reading is -1. */
	public static ResidentMemorySampler start(long periodMillis) {
		if (periodMillis <= 0) throw new IllegalArgumentException("sampling period " + periodMillis + " ms");
		ResidentMemorySampler s = new ResidentMemorySampler(periodMillis);
		s.sample();
		s.thread.start();
		return s;
	}

	private synchronized void sample() {
		peakMb = Math.max(peakMb, MemoryUsage.rssMb());
	}

	/** The peak resident memory in MB since the previous call (since the start at the first), then starts anew from now. */
	public synchronized double takePeakMb() {
		double now = MemoryUsage.rssMb();
		double peak = Math.max(peakMb, now);
		peakMb = now;
		return peak;
	}

	@Override
	public void close() {
		running = false;
		thread.interrupt();
	}
}
