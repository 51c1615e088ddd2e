package org.mnseg.cli;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.bundle.ModelBundle;
import org.mnseg.bundle.TensorStore;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.FileChecksums;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.train.Checkpoint;

/**
 * A disk that fills up while {@code mn} writes: a checkpoint during training, the model bundle at its end, a label
 * image of {@code mn segment}, the zip of {@code mn export}. Each gets one line (exit 2) that says the disk is full,
 * the file that was there before stays byte for byte (the previous checkpoint stays loadable), no {@code .part} file
 * is left, and the same command (with {@code --resume} for training) finishes once space is freed, training to the
 * weights of a run that never met a full disk.
 *
 * <p>The full disk is real: a small tmpfs, mounted in a private mount namespace ({@code unshare -rm}, which needs no
 * root on most Linux systems) and filled with a file that leaves a chosen number of bytes free; the commands run as
 * child processes inside that namespace. Where such a mount is not allowed (a container without user namespaces),
 * the test is skipped with the reason.
 */
public class FullDiskTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();

	private static Path data;
	/** A run that never met a full disk, and its sizes. */
	private static Path reference;
	private static long checkpointBytes, bundleBytes;

	@BeforeClass
	public static void referenceRun() throws Exception {
		String why = tmpfsUnavailable();
		Assume.assumeTrue("FullDiskTest skipped: a size-limited tmpfs cannot be mounted here (unshare -rm; mount -t tmpfs): " + why, why == null);
		data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 3, 0, 0, 17);
		reference = tmp.getRoot().toPath().resolve("reference");
		Process p = KillResumeTest.withOneThread(new ProcessBuilder(KillResumeTest.mnCommand("1g", train(reference, false)))).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(5, TimeUnit.MINUTES));
		assertEquals(out, 0, p.exitValue());
		checkpointBytes = Files.size(reference.resolve(Checkpoint.FILE_NAME));
		bundleBytes = Files.size(reference.resolve("model.mnmodel"));
	}

	/** Null when a tmpfs can be mounted in a private namespace, else why not. */
	private static String tmpfsUnavailable() {
		try {
			Path dir = Files.createTempDirectory("mn-tmpfs-probe");
			try {
				Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m none '" + dir + "'").redirectErrorStream(true).start();
				String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
				if (!p.waitFor(30, TimeUnit.SECONDS)) return "the probe did not end";
				return p.exitValue() == 0 ? null : out;
			}
			finally {
				Files.deleteIfExists(dir);
			}
		}
		catch (IOException | InterruptedException e) {
			return e.toString();
		}
	}

	private static List<String> train(Path run, boolean resume) {
		List<String> a = new ArrayList<>(List.of("train", "--dataset", data.toString(), "--labeled", "3", "--method", "labeled-only", "--out", run.toString(),
			"--seed", "3", "--threads", "1", "--levels", "3", "--base-filters", "8", "--patch", "16,16,8", "--batch-size", "2", "--epochs", "2",
			"--iterations-per-epoch", "2"));
		if (resume) a.add("--resume");
		return a;
	}

	/** The same thread team on every run, whatever the machine's load, so that weights can be compared bit for bit. */
	private static String quote(String s) {
		return "'" + s.replace("'", "'\\''") + "'";
	}

	private static String shell(List<String> args) {
		return KillResumeTest.mnCommand("1g", args).stream().map(FullDiskTest::quote).collect(Collectors.joining(" "));
	}

	/** What one command printed and returned. */
	record Outcome(int code, String out, String err) {}

	/** The two commands' outcomes, and the disk's content after each (copied out of the namespace). */
	record Scenario(Outcome full, Path afterFull, Outcome freed, Path afterFreed) {}

	/**
	 * In a private namespace: mounts a tmpfs on a new folder DISK, copies {@code before} (if any) to DISK/{@code name},
	 * fills the disk until {@code freeBytes} are left, runs {@code first}, copies DISK out, deletes the filler, runs
	 * {@code second} and copies DISK out again. The commands' arguments may name DISK as {@code {DISK}}.
	 */
	private static Scenario onFullDisk(String scenario, Path before, String name, long freeBytes, List<String> first, List<String> second) throws Exception {
		Path root = tmp.newFolder(scenario).toPath(), disk = root.resolve("disk");
		Files.createDirectories(disk);
		Path afterFull = root.resolve("after-full"), afterFreed = root.resolve("after-freed");
		String d = disk.toString();
		List<String> a = first.stream().map(s -> s.replace("{DISK}", d)).toList(), b = second.stream().map(s -> s.replace("{DISK}", d)).toList();
		String script = String.join("\n", "set -e",
			"mount -t tmpfs -o size=64m none " + quote(d),
			before == null ? "true" : "cp -a " + quote(before.toString()) + " " + quote(d + "/" + name),
			"avail=$(df -B1 --output=avail " + quote(d) + " | tail -n 1)",
			// the filler is written, not allocated, so that it takes the pages as any file would
			"head -c $((avail - " + freeBytes + ")) /dev/zero > " + quote(d + "/.filler"),
			"set +e",
			shell(a) + " > " + quote(root + "/1.out") + " 2> " + quote(root + "/1.err") + "; echo $? > " + quote(root + "/1.rc"),
			"set -e",
			copyOut(d, afterFull),
			"rm " + quote(d + "/.filler"),
			"set +e",
			shell(b) + " > " + quote(root + "/2.out") + " 2> " + quote(root + "/2.err") + "; echo $? > " + quote(root + "/2.rc"),
			"set -e",
			copyOut(d, afterFreed));
		Process p = KillResumeTest.withOneThread(new ProcessBuilder("unshare", "-rm", "sh", "-c", script)).redirectErrorStream(true).start();
		String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue("the scenario did not end in time", p.waitFor(10, TimeUnit.MINUTES));
		assertEquals("the scenario's shell failed: " + log, 0, p.exitValue());
		return new Scenario(outcome(root, "1"), afterFull, outcome(root, "2"), afterFreed);
	}

	/** A shell line copying the disk's content (but the filler) to {@code to}. */
	private static String copyOut(String disk, Path to) {
		return "mkdir " + quote(to.toString()) + " && tar -C " + quote(disk) + " --exclude=./.filler -cf - . | tar -C " + quote(to.toString()) + " -xf -";
	}

	private static Outcome outcome(Path root, String n) throws IOException {
		return new Outcome(Integer.parseInt(Files.readString(root.resolve(n + ".rc")).strip()), Files.readString(root.resolve(n + ".out")),
			Files.readString(root.resolve(n + ".err")));
	}

	/**
	 * One line on stderr, exit 2, saying the disk is full and naming the file, no stack trace. PyTorch's own warnings
	 * ("[W1130 03:28:47.222 ...] Warning: ...", written by its native code as the engine starts) are not M&N's lines.
	 */
	private static void assertDiskFullLine(Outcome o, String file) {
		String err = o.err().lines().filter(l -> !l.matches("\\[W\\d{4} .*")).collect(Collectors.joining("\n")).strip();
		assertEquals(o.out() + err, 2, o.code());
		assertEquals(err, 1, err.lines().count());
		assertTrue(err, err.contains("The disk is full") && err.contains(file) && err.contains("Free some space"));
		assertFalse(err, err.contains("Exception") || err.contains("\tat "));
	}

	private static void assertNoPartFiles(Path dir) throws IOException {
		try (Stream<Path> files = Files.walk(dir)) {
			List<Path> parts = files.filter(f -> f.getFileName().toString().startsWith(".part")).toList();
			assertTrue("left behind: " + parts, parts.isEmpty());
		}
	}

	private static void assertSameWeights(Path want, Path got) {
		for (String role : List.of("3d")) {
			Map<String, TensorStore.Tensor> w = ModelBundle.load(want).models().get(role).weights().asMap();
			Map<String, TensorStore.Tensor> g = ModelBundle.load(got).models().get(role).weights().asMap();
			assertEquals(w.keySet(), g.keySet());
			for (String name : w.keySet()) assertArrayEquals(name, w.get(name).data(), g.get(name).data(), 0f);
		}
	}

	@Test
	public void aCheckpointWriteOnAFullDiskKeepsThePreviousCheckpointAndResumes() throws Exception {
		// room for the first checkpoint and the small files, not for the second beside it (written before the first is replaced)
		long free = checkpointBytes + checkpointBytes / 2;
		Scenario s = onFullDisk("checkpoint", null, null, free, train(Paths.get("{DISK}/run"), false), train(Paths.get("{DISK}/run"), true));
		assertDiskFullLine(s.full(), Checkpoint.FILE_NAME);
		Path run = s.afterFull().resolve("run");
		assertEquals("the first epoch's checkpoint stays", 1, Checkpoint.readHeader(run.resolve(Checkpoint.FILE_NAME)).nextEpoch());
		assertFalse(Files.exists(run.resolve("model.mnmodel")));
		assertNoPartFiles(s.afterFull());
		assertFinishedOnceFreed(s);
	}

	@Test
	public void theBundleWriteOnAFullDiskKeepsTheCheckpointAndResumes() throws Exception {
		// a run whose last checkpoint is written but not its bundle (as one killed in between): --resume writes the bundle
		Path killed = tmp.getRoot().toPath().resolve("before-bundle");
		assertEquals(0, new ProcessBuilder("cp", "-a", reference.toString(), killed.toString()).inheritIO().start().waitFor());
		for (String f : List.of("model.mnmodel", "result.json", "metrics.json")) Files.deleteIfExists(killed.resolve(f));
		String checkpoint = FileChecksums.sha256(killed.resolve(Checkpoint.FILE_NAME));
		Scenario s = onFullDisk("bundle", killed, "run", bundleBytes / 2, train(Paths.get("{DISK}/run"), true), train(Paths.get("{DISK}/run"), true));
		assertDiskFullLine(s.full(), "model.mnmodel");
		Path run = s.afterFull().resolve("run");
		assertEquals(checkpoint, FileChecksums.sha256(run.resolve(Checkpoint.FILE_NAME)));
		assertFalse(Files.exists(run.resolve("model.mnmodel")));
		assertNoPartFiles(s.afterFull());
		assertFinishedOnceFreed(s);
	}

	@Test
	public void aLabelImageOnAFullDiskKeepsTheEarlierOneAndTheSameCommandFinishesLater() throws Exception {
		Path written = segmentOnAFullDisk("segment", data.resolve("images/case00.nii.gz"), "case00.nii.gz");
		assertTrue(Files.size(written) > 352);
	}

	/** TIFF goes through ImageJ's encoder (as Fiji's Segment of the current image does), not the NIfTI writer. */
	@Test
	public void aTiffLabelImageOnAFullDiskKeepsTheEarlierOneAndTheSameCommandFinishesLater() throws Exception {
		Path input = tmp.newFolder("tiff-input").toPath().resolve("case00.tif");
		VolumeIO.writeImage(VolumeIO.readImage(data.resolve("images/case00.nii.gz")), input);
		Path written = segmentOnAFullDisk("segment-tiff", input, "case00.tif");
		assertArrayEquals(VolumeIO.readImage(input).shape(), VolumeIO.readLabels(written).shape());
	}

	/**
	 * Segments {@code input} over an earlier {@code output} on a full disk (one line, the earlier file byte for byte,
	 * no part file), then again once space is freed; returns the label image that second run wrote.
	 */
	private static Path segmentOnAFullDisk(String scenario, Path input, String output) throws Exception {
		Path earlier = tmp.newFolder("earlier-" + scenario).toPath();
		Files.writeString(earlier.resolve(output), "an earlier segmentation");
		List<String> segment = List.of("segment", "--model", reference.resolve("model.mnmodel").toString(), "--input", input.toString(),
			"--output", "{DISK}/out", "--overwrite", "--threads", "1");
		Scenario s = onFullDisk(scenario, earlier, "out", 0, segment, segment);
		assertDiskFullLine(s.full(), output);
		assertEquals("an earlier segmentation", Files.readString(s.afterFull().resolve("out").resolve(output)));
		assertNoPartFiles(s.afterFull());

		assertEquals(s.freed().err(), 0, s.freed().code());
		assertNoPartFiles(s.afterFreed());
		return s.afterFreed().resolve("out").resolve(output);
	}

	@Test
	public void anExportOnAFullDiskKeepsTheEarlierZipAndTheSameCommandFinishesLater() throws Exception {
		Path earlier = tmp.newFolder("earlier-export").toPath();
		Files.writeString(earlier.resolve("model.zip"), "an earlier export");
		List<String> export = List.of("export", "--model", reference.resolve("model.mnmodel").toString(), "--out", "{DISK}/out/model.zip",
			"--overwrite", "--threads", "1");
		Scenario s = onFullDisk("export", earlier, "out", 0, export, export);
		assertDiskFullLine(s.full(), "model.zip");
		assertEquals("an earlier export", Files.readString(s.afterFull().resolve("out/model.zip")));
		assertNoPartFiles(s.afterFull());

		assertEquals(s.freed().err(), 0, s.freed().code());
		assertNoPartFiles(s.afterFreed());
		assertTrue(Files.size(s.afterFreed().resolve("out/model.zip")) > bundleBytes / 4);
	}

	/** With space freed, the same command finished the run, to the uninterrupted run's weights bit for bit. */
	private void assertFinishedOnceFreed(Scenario s) throws Exception {
		assertEquals(s.freed().err(), 0, s.freed().code());
		assertNoPartFiles(s.afterFreed());
		assertSameWeights(reference.resolve("model.mnmodel"), s.afterFreed().resolve("run/model.mnmodel"));
	}
}
