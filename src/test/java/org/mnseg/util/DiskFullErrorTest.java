package org.mnseg.util;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * How a full disk is recognised and what {@link AtomicFiles} makes of it, without filling a disk ({@code cli.FullDiskTest}
 * fills a real one where the system allows): the operating system's own ENOSPC, from Linux's {@code /dev/full}, and
 * the wordings of other systems.
 */
public class DiskFullErrorTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void theSystemsOwnNoSpaceErrorBecomesTheOneLineAndTheEarlierFileStays() throws Exception {
		Path devFull = Paths.get("/dev/full");
		Assume.assumeTrue("/dev/full (Linux) is needed for the system's own ENOSPC", Files.isWritable(devFull));
		Path target = tmp.getRoot().toPath().resolve("result.json");
		Files.writeString(target, "earlier");
		try {
			// the writer's bytes go to /dev/full, where every write fails with the kernel's ENOSPC, as on a full disk
			AtomicFiles.writeVia(target, part -> Files.write(devFull, new byte[1 << 16]));
			fail("a write that met ENOSPC succeeded");
		} catch (DiskFullError e) {
			assertEquals(target, e.target());
			assertTrue(e.getMessage(), e.getMessage().startsWith("The disk is full: " + target + " could not be written ("));
			assertTrue(e.getMessage(), e.getMessage().contains("Free some space") && e.getMessage().contains("--resume"));
			assertFalse(e.getMessage(), e.getMessage().contains("\n"));
		}
		assertEquals("earlier", Files.readString(target));
		try (Stream<Path> files = Files.list(tmp.getRoot().toPath())) {
			assertEquals("the temporary file is removed", 1, files.count());
		}
	}

	@Test
	public void otherWriteFailuresKeepTheirOwnMessage() throws Exception {
		Path target = tmp.getRoot().toPath().resolve("x.bin");
		try {
			AtomicFiles.writeVia(target, part -> {
				throw new UncheckedIOException(new IOException("Input/output error"));
			});
			fail();
		} catch (UserError e) {
			assertFalse(e instanceof DiskFullError);
			assertTrue(e.getMessage(), e.getMessage().startsWith("Could not write " + target + ": Input/output error"));
		}
	}

	@Test
	public void recognisesTheWordingsOfFullDisksAndQuotasAlsoAsCauses() {
		assertTrue(DiskFullError.isDiskFull(new IOException("No space left on device")));
		assertTrue(DiskFullError.isDiskFull(new FileSystemException("/x", null, "Disk quota exceeded")));
		assertTrue(DiskFullError.isDiskFull(new RuntimeException("wrapped", new IOException("There is not enough space on the disk"))));
		assertFalse(DiskFullError.isDiskFull(new IOException("Permission denied")));
		// an exception that is not about a file merely quoting the words is not a full disk
		assertFalse(DiskFullError.isDiskFull(new IllegalStateException("No space left on device")));
		assertEquals(null, DiskFullError.of(Paths.get("x"), new IOException("Permission denied")));
	}
}
