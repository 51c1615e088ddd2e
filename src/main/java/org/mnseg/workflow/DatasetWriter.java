package org.mnseg.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.mnseg.dataset.Case;
import org.mnseg.dataset.DatasetSpec;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.NonFiniteVoxels;
import org.mnseg.data.Volume;
import org.mnseg.io.VolumeIO;
import org.mnseg.util.UserError;

/**
 * Writes a plain folder data set ({@code images/}, {@code labels/}, {@code unlabeled/}, read back by
 * {@link DatasetSpec}) from volumes in memory and from other data sets: how a front end whose data is not in files
 * (Fiji's open images and ROIs) hands it to {@link TrainWorkflow}, reproducibly and resumably.
 */
public final class DatasetWriter {
	private final Path root;
	/** What NaN and infinite voxels become (null: an image holding them is refused). */
	private final Float replaceNonFinite;
	private int labeled;

	/** A writer that refuses images with NaN or infinite voxels. */
	public DatasetWriter(Path root) {
		this(root, (Float) null);
	}

	/**
	 * A writer that puts {@code replaceNan} (an option's text, e.g. "0"; empty: refuse) in place of NaN and infinite
	 * voxels. Images are checked here, where their names are the user's, not later, where they are the copies'.
	 */
	public DatasetWriter(Path root, String replaceNan) {
		this(root, NonFiniteVoxels.parseReplacement(replaceNan));
	}

	private DatasetWriter(Path root, Float replaceNonFinite) {
		this.root = root;
		this.replaceNonFinite = replaceNonFinite;
	}

	public Path root() {
		return root;
	}

	/** A labeled case named after {@code name} (numbered in the order added); {@code source} names the image in messages. */
	public void addLabeled(String name, String source, Volume image, LabelVolume labels) {
		NonFiniteVoxels.requireFinite(image, source, replaceNonFinite);
		String id = String.format("case_%03d_%s", ++labeled, safe(name));
		VolumeIO.writeImage(image, root.resolve("images").resolve(id + ".nii.gz"));
		VolumeIO.writeLabels(labels, root.resolve("labels").resolve(id + ".nii.gz"));
	}

	/** An unlabeled volume named after {@code name}; {@code source} names it in messages. */
	public void addUnlabeled(String name, String source, Volume image) {
		NonFiniteVoxels.requireFinite(image, source, replaceNonFinite);
		VolumeIO.writeImage(image, root.resolve("unlabeled").resolve(safe(name) + ".nii.gz"));
	}

	/** The labeled cases of a data set (the first {@code n}, or all for n &lt; 0) and its unlabeled volumes, copied. */
	public void addDataset(Path dataset, int n) {
		DatasetSpec spec = DatasetSpec.open(dataset);
		List<Case> cases = n > 0 ? spec.labeled(n) : spec.train().stream().filter(Case::hasLabel).toList();
		for (Case c : cases) {
			copyImage(c.image(), root.resolve("images"), c.id());
			copy(c.label(), root.resolve("labels"), c.id());
			labeled++;
		}
		for (Case c : spec.unlabeled(n))
			copyImage(c.image(), root.resolve("unlabeled"), c.id());
	}

	/** Every volume file of a folder, as unlabeled volumes. */
	public void addUnlabeledFolder(Path folder) {
		if (!Files.isDirectory(folder)) throw new UserError("The folder of unlabeled images " + folder + " does not exist.");
		try (Stream<Path> files = Files.list(folder)) {
			for (Path f : (Iterable<Path>) files.filter(VolumeIO::isVolumeFile).sorted()::iterator)
				copyImage(f, root.resolve("unlabeled"), "u_" + VolumeIO.baseName(f));
		} catch (IOException e) {
			throw new UserError("Cannot list the folder " + folder + ": " + e.getMessage(), e);
		}
	}

	/** Removes the data set folder and everything in it (a start that failed). */
	public void discard() throws IOException {
		if (!Files.exists(root)) return;
		try (Stream<Path> all = Files.walk(root)) {
			for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
		}
	}

	/**
	 * {@link #copy}, after checking the image for NaN and infinite voxels where they are refused, so that a refusal
	 * names the user's file rather than its copy (with a replacement, training replaces them in the copy).
	 */
	private void copyImage(Path file, Path folder, String id) {
		if (replaceNonFinite == null) VolumeIO.readImage(file);
		copy(file, folder, id);
	}

	private static void copy(Path file, Path folder, String id) {
		String name = file.getFileName().toString();
		String ext = name.substring(VolumeIO.baseName(file).length());
		try {
			Files.createDirectories(folder);
			Files.copy(file, folder.resolve(id + ext));
		} catch (IOException e) {
			throw new UserError("Cannot copy " + file + " into " + folder + ": " + e.getMessage(), e);
		}
	}

	private static String safe(String s) {
		return s.replaceAll("[^A-Za-z0-9._-]+", "_");
	}
}
