package org.mnseg.dataset;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.Volume;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Sample;
import org.mnseg.data.Normalization;
import org.mnseg.io.VolumeIO;
import org.mnseg.testutil.SharedData;
import org.mnseg.util.UserError;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

public class DatasetSpecTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void hippocampusDescriptionGivesClassesSplitAndSubsets() throws IOException {
		Path folder = SharedData.require("data/hippocampus");
		DatasetSpec ds = DatasetSpec.open(folder);
		JsonObject json = JsonParser.parseString(Files.readString(folder.resolve("dataset.json"))).getAsJsonObject();
		assertEquals(json.get("name").getAsString(), ds.name());
		assertEquals("MRI (mono-modal)", ds.modality());
		assertEquals(Map.of(0, "background", 1, "anterior hippocampus", 2, "posterior hippocampus"), ds.classNames());
		assertEquals(3, ds.numClasses());
		assertEquals(160, ds.train().size());
		assertEquals(40, ds.test().size());
		assertEquals(List.of(4, 8, 16), ds.labeledSubsets());
		assertEquals("hippocampus_001", ds.train().get(0).id());
		assertEquals(folder.resolve("imagesTr/hippocampus_001.nii.gz").toAbsolutePath(), ds.train().get(0).image().toAbsolutePath());

		for (int n : ds.labeledSubsets()) {
			List<Case> labeled = ds.labeled(n);
			assertEquals(n, labeled.size());
			for (int i = 0; i < n; i++) assertEquals(json.getAsJsonObject("labeled").getAsJsonArray("" + n).get(i).getAsString(), labeled.get(i).id());
			assertTrue(labeled.stream().allMatch(Case::hasLabel));
			List<Case> unlabeled = ds.unlabeled(n);
			assertEquals(160 - n, unlabeled.size());
			Set<String> ids = new HashSet<>();
			unlabeled.forEach(c -> ids.add(c.id()));
			assertTrue(unlabeled.stream().noneMatch(Case::hasLabel));
			assertTrue(labeled.stream().noneMatch(c -> ids.contains(c.id())));
		}
		String m = userError(() -> ds.labeled(5));
		assertTrue(m, m.contains("5") && m.contains("4, 8, 16, or all (its 160 labeled training cases)"));
		// the json file itself opens the same data set
		assertEquals(ds.train(), DatasetSpec.open(folder.resolve("dataset.json")).train());
	}

	/** All 200 pairs: float-stored labels are rounded, every image matches its label, values are declared classes. */
	@Test
	public void loadsEveryHippocampusPair() {
		DatasetSpec ds = DatasetSpec.open(SharedData.require("data/hippocampus"));
		int loaded = 0;
		Set<Integer> classesSeen = new HashSet<>();
		for (List<Case> part : List.of(ds.train(), ds.test())) {
			for (Case c : part) {
				Sample s = ds.load(c, Normalization.MRI);
				assertEquals(c.id(), s.id());
				assertArrayEquals(c.id(), s.image().shape(), s.label().shape());
				assertEquals(1, s.image().channels());
				double sum = 0;
				for (float v : s.image().data()) sum += v;
				assertEquals(c.id() + " z-scored", 0, sum / s.image().data().length, 1e-4);
				for (byte b : s.label().data()) classesSeen.add((int) b);
				loaded++;
			}
		}
		assertEquals(200, loaded);
		assertEquals(Set.of(0, 1, 2), classesSeen);
	}

	@Test
	public void la2xDescriptionOpensAndLoads() {
		DatasetSpec ds = DatasetSpec.open(SharedData.require("data/la2x/dataset.json"));
		assertEquals(80, ds.train().size());
		assertEquals(20, ds.test().size());
		assertEquals(2, ds.numClasses());
		assertEquals(76, ds.unlabeled(4).size());
		Sample s = ds.load(ds.labeled(4).get(0), Normalization.NONE);
		assertArrayEquals(new double[] { 1.25, 1.25, 1.25 }, s.image().geometry().spacing(), 1e-6);
		assertEquals(1, s.label().maxLabel());
	}

	@Test
	public void folderLayoutMatchesByBaseName() throws IOException {
		Path root = tmp.newFolder("my-data").toPath();
		LabelVolume l3 = labels(2, 3, 0, 1);
		writeImage(root.resolve("images/b.nii.gz"));
		writeImage(root.resolve("images/a.tif"));
		writeImage(root.resolve("images/c.nii"));
		writeImage(root.resolve("images/d.nii.gz"));
		VolumeIO.writeLabels(labels(0, 1, 1, 0), root.resolve("labels/a.nii.gz"));
		VolumeIO.writeLabels(l3, root.resolve("labels/c.tif"));
		writeImage(root.resolve("unlabeled/extra.nii.gz"));
		writeImage(root.resolve("test/images/t1.nii.gz"));
		VolumeIO.writeLabels(labels(1, 1, 0, 0), root.resolve("test/labels/t1.nii.gz"));
		Files.writeString(root.resolve("images/readme.txt"), "not a volume");

		DatasetSpec ds = DatasetSpec.open(root);
		assertEquals("my-data", ds.name());
		assertEquals(List.of("a", "b", "c", "d"), ds.train().stream().map(Case::id).toList());
		assertNull(ds.train().get(1).label());
		assertEquals(List.of("a"), ds.labeled(1).stream().map(Case::id).toList());
		assertEquals(List.of("a", "c"), ds.labeled(2).stream().map(Case::id).toList());
		assertEquals(List.of(2), ds.labeledSubsets());
		assertEquals(List.of("b", "c", "d", "extra"), ds.unlabeled(1).stream().map(Case::id).toList());
		assertTrue(ds.unlabeled(1).stream().noneMatch(Case::hasLabel));
		assertEquals(List.of("t1"), ds.test().stream().map(Case::id).toList());
		assertEquals("classes from the largest label value", 4, ds.numClasses());
		assertEquals("background", ds.classNames().get(0));
		assertTrue(userError(() -> ds.labeled(3)).contains("1 to 2"));
		Sample s = ds.load(ds.labeled(2).get(1), Normalization.NONE);
		assertEquals(3, s.label().maxLabel());
	}

	@Test
	public void folderLayoutWithoutTestSplitOrWithStrayLabelsOrTwins() throws IOException {
		Path root = tmp.newFolder("plain").toPath();
		writeImage(root.resolve("images/x.nii"));
		VolumeIO.writeLabels(labels(0, 1, 0, 1), root.resolve("labels/x.nii"));
		writeImage(root.resolve("test/images/t.nii")); // no test/labels: no test split
		DatasetSpec ds = DatasetSpec.open(root);
		assertTrue(ds.test().isEmpty());
		assertEquals(2, ds.numClasses());

		VolumeIO.writeLabels(labels(0, 1, 0, 1), root.resolve("labels/y.nii"));
		String m = userError(() -> DatasetSpec.open(root));
		assertTrue(m, m.contains("y.nii") && m.contains("no image"));
		Files.delete(root.resolve("labels/y.nii"));

		writeImage(root.resolve("images/x.tif"));
		m = userError(() -> DatasetSpec.open(root));
		assertTrue(m, m.contains("x.nii") && m.contains("x.tif"));

		Path empty = tmp.newFolder("empty").toPath();
		m = userError(() -> DatasetSpec.open(empty));
		assertTrue(m, m.contains("dataset.json") && m.contains("images"));
	}

	@Test
	public void shapeMismatchNamesBothFilesAndShapes() throws IOException {
		Path root = tmp.newFolder("mismatch").toPath();
		writeImage(root.resolve("images/case.nii.gz"));
		VolumeIO.writeLabels(LabelVolume.wrap(new byte[6], new int[] { 3, 2, 1 }, null), root.resolve("labels/case.nii.gz"));
		DatasetSpec ds = DatasetSpec.open(root);
		String m = userError(() -> ds.load(ds.labeled(1).get(0), Normalization.MRI));
		assertTrue(m, m.contains(root.resolve("images/case.nii.gz").toString()) && m.contains(root.resolve("labels/case.nii.gz").toString())
			&& m.contains("2 x 2 x 1") && m.contains("3 x 2 x 1"));
	}

	@Test
	public void labelValueOutsideDeclaredClassesIsNamed() throws IOException {
		Path root = tmp.newFolder("declared").toPath();
		writeImage(root.resolve("imagesTr/c1.nii.gz"));
		VolumeIO.writeLabels(labels(0, 1, 2, 1), root.resolve("labelsTr/c1.nii.gz"));
		Files.writeString(root.resolve("dataset.json"), "{\"name\": \"tiny\", \"labels\": {\"0\": \"background\", \"1\": \"organ\"},"
			+ " \"split\": {\"train\": [\"c1\"]}, \"labeled\": {\"1\": [\"c1\"]}}");
		DatasetSpec ds = DatasetSpec.open(root.resolve("dataset.json"));
		assertEquals("unknown", ds.modality());
		String m = userError(() -> ds.load(ds.train().get(0), Normalization.NONE));
		assertTrue(m, m.contains(root.resolve("labelsTr/c1.nii.gz").toString()) && m.contains("value 2") && m.contains("0 background, 1 organ"));
	}

	@Test
	public void missingCaseFilesAndBadDescriptionsAreReported() throws IOException {
		Path root = tmp.newFolder("missing").toPath();
		writeImage(root.resolve("imgs/c1.nii"));
		Files.writeString(root.resolve("dataset.json"), "{\"labels\": {\"0\": \"bg\", \"1\": \"fg\"}, \"layout\": \"imgs/<id>.nii with segs/<id>.nii\","
			+ " \"split\": {\"train\": [\"c1\"]}}");
		String m = userError(() -> DatasetSpec.open(root));
		assertTrue(m, m.contains("'c1'") && m.contains(root.resolve("segs/c1.nii").toString()));

		Files.writeString(root.resolve("dataset.json"), "{\"labels\": {\"0\": \"bg\", \"1\": \"fg\"}, \"split\": {\"train\": [\"c2\"]}}");
		m = userError(() -> DatasetSpec.open(root));
		assertTrue(m, m.contains("'c2'") && m.contains(root.resolve("imagesTr/c2.nii.gz").toString()));

		Files.writeString(root.resolve("dataset.json"), "{\"labels\": {\"0\": \"bg\", ");
		m = userError(() -> DatasetSpec.open(root));
		assertTrue(m, m.contains("dataset.json") && m.contains("JSON"));

		Files.writeString(root.resolve("dataset.json"), "{\"labels\": {\"0\": \"bg\", \"2\": \"fg\"}, \"split\": {\"train\": []}}");
		m = userError(() -> DatasetSpec.open(root));
		assertTrue(m, m.contains("without gaps"));

		Path nowhere = root.resolve("nowhere");
		assertTrue(userError(() -> DatasetSpec.open(nowhere)).contains(nowhere.toString()));
	}

	private static LabelVolume labels(int... values) {
		byte[] b = new byte[values.length];
		for (int i = 0; i < b.length; i++) b[i] = (byte) values[i];
		return LabelVolume.wrap(b, new int[] { 2, 2, 1 }, null);
	}

	private static void writeImage(Path file) {
		VolumeIO.writeImage(Volume.wrap(new float[] { 1, 2, 3, 5 }, new long[] { 2, 2, 1 }, null), file);
	}

	private static String userError(Runnable r) {
		try {
			r.run();
		}
		catch (UserError e) {
			assertFalse(e.getMessage().isBlank());
			return e.getMessage();
		}
		fail("expected a UserError");
		return null;
	}
}
