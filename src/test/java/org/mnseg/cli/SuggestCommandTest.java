package org.mnseg.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.cli.MainTest.Outcome;
import org.mnseg.testutil.SyntheticDataset;
import org.mnseg.testutil.TinyBundles;
import org.mnseg.testutil.TinyBundles.Partner;
import org.mnseg.workflow.SuggestWorkflow;

/** {@code mn suggest}: its output, the fallback line, and one line (exit 2) for each mistake. */
public class SuggestCommandTest {
	@ClassRule
	public static TemporaryFolder tmp = new TemporaryFolder();
	private static Path data, mn, labeledOnly;

	@BeforeClass
	public static void bundles() throws Exception {
		data = SyntheticDataset.write(tmp.newFolder("data").toPath(), 2, 2, 3);
		mn = TinyBundles.write(tmp.getRoot().toPath().resolve("mn.mnmodel"), Partner.SEGFORMER, 2, List.of("case00", "case01"));
		labeledOnly = TinyBundles.write(tmp.getRoot().toPath().resolve("lo.mnmodel"), Partner.NONE, 2, List.of("case00", "case01"));
	}

	private static Outcome mn(String... args) {
		return MainTest.mn(args);
	}

	private static void assertOneLineMistake(Outcome o, String... words) {
		assertEquals(o.out() + o.err(), 2, o.code());
		assertEquals(o.err(), 1, o.err().strip().lines().count());
		assertTrue(o.err(), o.err().startsWith("mn suggest: "));
		for (String w : words) assertTrue(o.err(), o.err().contains(w));
	}

	@Test
	public void ranksTheDataSetsUnlabeledVolumesAndRefusesToReplaceItsResults() throws Exception {
		Path out = tmp.getRoot().toPath().resolve("out");
		Outcome o = mn("suggest", "--model", mn.toString(), "--dataset", data.toString(), "--top", "3", "--out", out.toString(), "--threads", "2");
		assertEquals(o.err(), 0, o.code());
		assertTrue(o.out(), o.out().contains("Volumes by disagreement") && o.out().contains("case02") && o.out().contains("case03"));
		assertFalse(o.out(), o.out().contains("case00 "));
		assertEquals(3, o.out().lines().filter(l -> l.matches(" +\\d+  case0[23] +slice +\\d+  score .*")).count());
		Path results = out.resolve(SuggestWorkflow.RESULTS_FILE);
		assertTrue(o.out(), o.out().contains("wrote " + results));
		long modified = Files.getLastModifiedTime(results).toMillis();

		Outcome again = mn("suggest", "--model", mn.toString(), "--dataset", data.toString(), "--out", out.toString());
		assertOneLineMistake(again, "exist already", "--overwrite");
		assertEquals(modified, Files.getLastModifiedTime(results).toMillis());
		Outcome replaced = mn("suggest", "--model", mn.toString(), "--dataset", data.toString(), "--out", out.toString(), "--overwrite", "--heatmaps");
		assertEquals(replaced.err(), 0, replaced.code());
		assertTrue(Files.exists(out.resolve("case02" + SuggestWorkflow.HEATMAP_SUFFIX + ".nii.gz")));
	}

	@Test
	public void aBundleWithoutA2dModelFallsBackToUncertaintyAndSaysSoOnce() {
		Outcome o = mn("suggest", "--model", labeledOnly.toString(), "--images", data.resolve("unlabeled").toString(), "--top", "2");
		assertEquals(o.err(), 0, o.code());
		assertEquals(o.out(), 1, o.out().lines().filter(l -> l.contains("no 2-D partner") && l.contains("uncertainty alone")).count());
		assertTrue(o.out(), o.out().contains("Volumes by uncertainty"));
	}

	@Test
	public void mistakesAreOneLine() throws Exception {
		String images = data.resolve("unlabeled").toString();
		assertOneLineMistake(mn("suggest", "--model", "/no/such/model.mnmodel", "--images", images), "/no/such/model.mnmodel does not exist");
		assertOneLineMistake(mn("suggest", "--model", mn.toString()), "--images", "--dataset", "neither");
		assertOneLineMistake(mn("suggest", "--model", mn.toString(), "--images", images, "--dataset", data.toString()), "not both");
		assertOneLineMistake(mn("suggest", "--model", mn.toString(), "--images", images, "--heatmaps"), "--out");
		assertOneLineMistake(mn("suggest", "--model", mn.toString(), "--images", images, "--top", "0"), "--top");
		assertOneLineMistake(mn("suggest", "--model", mn.toString(), "--images", images, "--measure", "entropy"), "disagreement, uncertainty, both");
		assertOneLineMistake(mn("suggest", "--model", mn.toString(), "--images", images, "--split", "test"), "--split");
		assertOneLineMistake(mn("suggest", "--model", mn.toString(), "--dataset", data.toString(), "--split", "val"), "unlabeled, test");
		Path file = tmp.newFile("not-a-folder").toPath();
		assertOneLineMistake(mn("suggest", "--model", mn.toString(), "--images", images, "--out", file.toString()), "is a file");
		assertOneLineMistake(mn("suggest", "--model", images, "--images", images), "is a folder");
		assertTrue(mn("suggest", "--help").out().contains("--heatmaps"));
	}
}
