package org.mnseg.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.mnseg.data.Volume;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Sample;
import org.mnseg.data.Normalization;
import org.mnseg.io.VolumeIO;
import org.mnseg.util.UserError;

/**
 * A data set: its classes, its train/test split and its labeled subsets, with the files of every case.
 * <p>
 * Two layouts are accepted by {@link #open(Path)}:
 * <ul>
 * <li>a {@code dataset.json} (the file, or a folder holding it) with {@code name}, {@code modality},
 * {@code labels} ({@code "0": "background", ...}), {@code layout} ({@code "imagesTr/<id>.nii.gz with
 * labelsTr/<id>.nii.gz"}, the default), {@code split} ({@code train}, {@code test}: lists of ids) and
 * {@code labeled} ({@code "4": [ids], ...}, subsets of train);</li>
 * <li>a plain folder with {@code images/}, {@code labels/} and optionally {@code unlabeled/}, files matched by base
 * name; see {@link FolderLayout} for the rules (test split, classes, labeled subsets).</li>
 * </ul>
 * Every case's files are checked when the data set is opened, so a missing file is reported before any work starts.
 */
public final class DatasetSpec {
	/** The labeled-subset sizes offered for folder data sets, as in the semi-supervised literature. */
	static final int[] STANDARD_SUBSETS = { 4, 8, 16 };

	private final Path root;
	private final String name;
	private final String modality;
	private final Supplier<Map<Integer, String>> classNamesSource;
	private final List<Case> train;
	private final List<Case> test;
	/** Named labeled subsets (dataset.json), or null where labeled(n) is the first n labeled cases (folder). */
	private final Map<Integer, List<Case>> subsets;
	private final List<Case> extraUnlabeled;
	/** The spacing (mm, x y z) dataset.json declares, or null where it declares none. */
	private final double[] declaredSpacing;
	private Map<Integer, String> classNames;

	DatasetSpec(Path root, String name, String modality, Supplier<Map<Integer, String>> classNames, List<Case> train, List<Case> test,
		Map<Integer, List<Case>> subsets, List<Case> extraUnlabeled, double[] declaredSpacing) {
		this.declaredSpacing = declaredSpacing == null ? null : declaredSpacing.clone();
		this.root = root;
		this.name = name;
		this.modality = modality;
		this.classNamesSource = classNames;
		this.train = List.copyOf(train);
		this.test = List.copyOf(test);
		this.subsets = subsets == null ? null : Map.copyOf(subsets);
		this.extraUnlabeled = List.copyOf(extraUnlabeled);
	}

	/**
	 * Opens a data set from a {@code dataset.json} file, a folder containing one, or a folder with {@code images/}
	 * and {@code labels/}.
	 */
	public static DatasetSpec open(Path path) {
		if (!Files.exists(path)) throw new UserError("Data set not found: " + path + ". Give a dataset.json file or a data set folder.");
		if (Files.isRegularFile(path)) return DatasetJson.read(path);
		Path json = path.resolve(DatasetJson.FILE_NAME);
		if (Files.isRegularFile(json)) return DatasetJson.read(json);
		if (Files.isDirectory(path.resolve(FolderLayout.IMAGES))) return FolderLayout.scan(path);
		throw new UserError(path + " is not a data set: it holds neither " + DatasetJson.FILE_NAME + " nor a folder '" + FolderLayout.IMAGES
			+ "/'. Either add a dataset.json, or put images in " + path.resolve(FolderLayout.IMAGES) + " and their labels (same file names) in "
			+ path.resolve(FolderLayout.LABELS) + ", with unlabeled images in " + path.resolve(FolderLayout.UNLABELED) + ".");
	}

	/** The voxel spacing (mm, x y z) the description declares; empty where it declares none. */
	public java.util.Optional<double[]> declaredSpacing() {
		return java.util.Optional.ofNullable(declaredSpacing).map(double[]::clone);
	}

	/** The folder the data set's files are relative to. */
	public Path root() {
		return root;
	}

	public String name() {
		return name;
	}

	public String modality() {
		return modality;
	}

	/** Class index to name, ordered by index, from 0 (background). */
	public synchronized Map<Integer, String> classNames() {
		if (classNames == null) classNames = Collections.unmodifiableMap(classNamesSource.get());
		return classNames;
	}

	/** Number of classes including background. */
	public int numClasses() {
		return classNames().size();
	}

	/** All training cases, with label paths where labels exist. */
	public List<Case> train() {
		return train;
	}

	/** Test cases (all labeled); empty where the data set has no test split. */
	public List<Case> test() {
		return test;
	}

	/** The labeled subset of {@code n} cases; a size the data set does not offer is a UserError listing the offered ones. */
	public List<Case> labeled(int n) {
		if (subsets != null) {
			List<Case> subset = subsets.get(n);
			if (subset == null)
				throw new UserError("Data set '" + name + "' has no labeled subset of " + n + " cases. Available: "
					+ labeledSubsets().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ", or all (its "
					+ train.stream().filter(Case::hasLabel).count() + " labeled training cases).");
			return subset;
		}
		List<Case> labeled = train.stream().filter(Case::hasLabel).toList();
		if (n < 1 || n > labeled.size())
			throw new UserError("Data set '" + name + "' has " + labeled.size() + " labeled training cases; choose a labeled subset of 1 to "
				+ labeled.size() + " cases (asked for " + n + ").");
		return labeled.subList(0, n);
	}

	/** The sizes {@link #labeled(int)} offers (for folder data sets: 4, 8, 16 where there are enough, and all). */
	public List<Integer> labeledSubsets() {
		if (subsets != null) return subsets.keySet().stream().sorted().toList();
		int labeled = (int) train.stream().filter(Case::hasLabel).count();
		List<Integer> sizes = new ArrayList<>();
		for (int s : STANDARD_SUBSETS)
			if (s < labeled) sizes.add(s);
		if (labeled > 0) sizes.add(labeled);
		return sizes;
	}

	/**
	 * The unlabeled cases when {@code labeled(n)} is labeled (every labeled training case for n &lt; 0): the other
	 * training cases (their label paths removed) followed by any extra unlabeled images of the data set.
	 */
	public List<Case> unlabeled(int n) {
		Set<String> labeledIds = new HashSet<>();
		for (Case c : n < 0 ? train.stream().filter(Case::hasLabel).toList() : labeled(n)) labeledIds.add(c.id());
		List<Case> out = new ArrayList<>();
		for (Case c : train)
			if (!labeledIds.contains(c.id())) out.add(c.withoutLabel());
		out.addAll(extraUnlabeled);
		return Collections.unmodifiableList(out);
	}

	/**
	 * Reads a case, checks that image and label match and that the label values are declared classes, and
	 * normalises the image.
	 */
	public Sample load(Case c, Normalization normalization) {
		return load(c, normalization, null);
	}

	/** {@link #load(Case, Normalization)} with NaN and infinite voxels replaced by {@code replaceNonFinite} (null: refused). */
	public Sample load(Case c, Normalization normalization, Float replaceNonFinite) {
		Volume image = VolumeIO.readImage(c.image(), replaceNonFinite);
		LabelVolume label = null;
		if (c.hasLabel()) {
			label = VolumeIO.readLabels(c.label());
			if (!Arrays.equals(image.shape(), label.shape()))
				throw new UserError("Case '" + c.id() + "': image " + c.image() + " has shape " + shapeText(image.shape()) + " but label " + c.label()
					+ " has shape " + shapeText(label.shape()) + ". Image and label must lie on the same voxel grid.");
			int max = label.maxLabel();
			if (max >= numClasses())
				throw new UserError("Case '" + c.id() + "': label " + c.label() + " contains value " + max + ", but data set '" + name + "' declares "
					+ numClasses() + " classes (" + classList() + "). Fix the label file or the classes of the data set.");
		}
		return new Sample(c.id(), normalization.apply(image), label);
	}

	private String classList() {
		return classNames().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
	}

	private static String shapeText(int[] s) {
		return s[0] + " x " + s[1] + " x " + s[2];
	}

	/** Fails unless {@code file} exists, naming the case and the path where it was looked for. */
	static void requireCaseFile(String id, String role, Path file) {
		if (!Files.isRegularFile(file))
			throw new UserError("Case '" + id + "': " + role + " file not found, expected " + file + ". Check the data set's files and its layout.");
	}

	/** A sorted class map with "background" and "class i" names, for data sets that do not name their classes. */
	static Map<Integer, String> defaultClassNames(int numClasses) {
		Map<Integer, String> m = new java.util.TreeMap<>();
		for (int i = 0; i < numClasses; i++) m.put(i, i == 0 ? "background" : "class " + i);
		return m;
	}

	@Override
	public String toString() {
		return "DatasetSpec[" + name + ", " + train.size() + " train, " + test.size() + " test, " + root + "]";
	}

}
