package org.mnseg.testutil;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.mnseg.train.RunListener;

/** Counts training steps, and cancels a run once a given number of steps has finished (to simulate a kill). */
public class StepCounter implements RunListener {
	private final AtomicInteger steps = new AtomicInteger();

	@Override
	public void stepFinished(int epoch, int step, int stepsPerEpoch) {
		steps.incrementAndGet();
	}

	public int steps() {
		return steps.get();
	}

	/** A cancel flag that turns true after {@code n} steps. */
	public BooleanSupplier cancelAfter(int n) {
		return () -> steps.get() >= n;
	}
}
