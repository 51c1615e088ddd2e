package org.mnseg.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.mnseg.io.VolumeIO;
import org.mnseg.util.UserError;

/**
 * A data set given as plain folders, for users without a dataset.json:
 * <pre>
 * root/images/     training images (any format VolumeIO reads)
 * root/labels/     labels of some or all of them, same base name (case_01.tif labels case_01.nii.gz)
 * root/unlabeled/  optional: further images without labels
 * root/test/images and root/test/labels   optional: a labeled test split (used only when both exist)
 * </pre>
 * Rules chosen here: a case is labeled when a label with its base name exists; the labeled subset of size n is the
 * first n labeled cases by id; the number of classes is 1 + the largest value found in any label file (read when
 * first asked for), with classes named "background", "class 1", ...; a label without an image is an error, since
 * it usually means a misspelt name.
 */
final class FolderLayout {
	static final String IMAGES = "images", LABELS = "labels", UNLABELED = "unlabeled", TEST = "test";

	private FolderLayout() {}

	static DatasetSpec scan(Path folder) {
		Path root = folder.toAbsolutePath().normalize();
		List<Case> train = pair(root.resolve(IMAGES), root.resolve(LABELS));
		if (train.isEmpty()) throw new UserError("Data set folder " + root.resolve(IMAGES) + " holds no volume files (.nii, .nii.gz, .tif, .tiff, .h5).");
		List<Case> test = List.of();
		Path testImages = root.resolve(TEST).resolve(IMAGES), testLabels = root.resolve(TEST).resolve(LABELS);
		if (Files.isDirectory(testImages) && Files.isDirectory(testLabels)) {
			test = pair(testImages, testLabels);
			for (Case c : test)
				if (!c.hasLabel()) DatasetSpec.requireCaseFile(c.id(), "test label", testLabels.resolve(c.image().getFileName()));
		}
		List<Case> unlabeled = new ArrayList<>();
		Path unlabeledFolder = root.resolve(UNLABELED);
		if (Files.isDirectory(unlabeledFolder))
			for (Map.Entry<String, Path> e : volumesByName(unlabeledFolder).entrySet()) unlabeled.add(new Case(e.getKey(), e.getValue(), null));

		List<Case> allLabeled = new ArrayList<>();
		Stream.concat(train.stream(), test.stream()).filter(Case::hasLabel).forEach(allLabeled::add);
		return new DatasetSpec(root, root.getFileName().toString(), "unknown", () -> classesFromLabels(allLabeled), train, test, null, unlabeled, null);
	}

	/** Cases of an image folder, each with the label of the same base name when there is one. */
	private static List<Case> pair(Path images, Path labels) {
		Map<String, Path> imageFiles = volumesByName(images);
		Map<String, Path> labelFiles = Files.isDirectory(labels) ? volumesByName(labels) : Map.of();
		for (Map.Entry<String, Path> e : labelFiles.entrySet())
			if (!imageFiles.containsKey(e.getKey()))
				throw new UserError("Label " + e.getValue() + " has no image of the same name in " + images
					+ ". Labels are matched to images by file name without extension; rename one of them.");
		List<Case> cases = new ArrayList<>();
		for (Map.Entry<String, Path> e : imageFiles.entrySet()) cases.add(new Case(e.getKey(), e.getValue(), labelFiles.get(e.getKey())));
		return cases;
	}

	/** Volume files of a folder by base name, sorted; hidden files (such as partial writes) are skipped. */
	private static Map<String, Path> volumesByName(Path folder) {
		Map<String, Path> byName = new TreeMap<>();
		try (Stream<Path> files = Files.list(folder)) {
			for (Path f : (Iterable<Path>) files.sorted()::iterator) {
				if (f.getFileName().toString().startsWith(".") || !Files.isRegularFile(f) || !VolumeIO.isVolumeFile(f)) continue;
				Path previous = byName.put(VolumeIO.baseName(f), f);
				if (previous != null)
					throw new UserError("Two files in " + folder + " have the same name without extension: " + previous.getFileName() + " and "
						+ f.getFileName() + ". Keep one of them.");
			}
		}
		catch (IOException e) {
			throw new UserError("Could not list " + folder + ": " + e + ".", e);
		}
		return byName;
	}

	private static Map<Integer, String> classesFromLabels(List<Case> labeled) {
		int max = 1; // at least background and one foreground class
		for (Case c : labeled) max = Math.max(max, VolumeIO.readLabels(c.label()).maxLabel());
		return DatasetSpec.defaultClassNames(max + 1);
	}

}
