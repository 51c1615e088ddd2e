package org.mnseg.util;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CountDownLatch;

import org.junit.Test;

/**
 * The last line of a run that outlives the exit's grace says where it is stuck: the calls it waits in, up to the
 * first of this product's, in one line. (The exit itself is tested in a child process: {@code cli.StopOnExitTest}.)
 */
public class StopOnExitWhereTest {
	private final CountDownLatch release = new CountDownLatch(1);

	/** A run's method that waits (as a training thread would wait for a GUI that no longer answers). */
	private void waitsForTheGui() {
		try {
			release.await();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	public void namesTheWaitAndTheProductMethodThatWaitsInOneLine() throws Exception {
		Thread run = new Thread(this::waitsForTheGui, "run");
		run.start();
		try {
			while (run.getState() != Thread.State.WAITING) Thread.sleep(10);
			String where = StopOnExit.whereIs(run);
			assertTrue(where, where.startsWith("at "));
			assertTrue(where, where.contains("CountDownLatch.await"));
			assertTrue(where, where.endsWith(")") && where.substring(where.lastIndexOf(" < ")).contains("StopOnExitWhereTest.waitsForTheGui"));
			assertEquals(where, -1, where.indexOf('\n'));
		} finally {
			release.countDown();
			run.join();
		}
		assertEquals("its thread has ended", StopOnExit.whereIs(run));
	}
}
