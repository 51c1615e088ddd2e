package org.mnseg.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.mnseg.testutil.SharedData;

/**
 * A small piece of the real hippocampus MRI data (../shared, read-only): four labeled training cases as a plain
 * folder data set (images/ + labels/, linked, never copied into the project) and two test images to segment.
 */
final class HippocampusSample {
	static final List<String> TRAIN = List.of("hippocampus_001", "hippocampus_003", "hippocampus_004", "hippocampus_006");
	static final List<String> TEST = List.of("hippocampus_007", "hippocampus_011");

	final Path dataset, images;

	private HippocampusSample(Path dataset, Path images) {
		this.dataset = dataset;
		this.images = images;
	}

	/** Links the cases under {@code dir}; skips the test where the shared data is absent. */
	static HippocampusSample link(Path dir) throws Exception {
		Path root = SharedData.require("data/hippocampus");
		Path dataset = dir.resolve("dataset"), images = dir.resolve("to-segment");
		Files.createDirectories(dataset.resolve("images"));
		Files.createDirectories(dataset.resolve("labels"));
		Files.createDirectories(images);
		for (String id : TRAIN) {
			Files.createSymbolicLink(dataset.resolve("images/" + id + ".nii.gz"), root.resolve("imagesTr/" + id + ".nii.gz"));
			Files.createSymbolicLink(dataset.resolve("labels/" + id + ".nii.gz"), root.resolve("labelsTr/" + id + ".nii.gz"));
		}
		for (String id : TEST) Files.createSymbolicLink(images.resolve(id + ".nii.gz"), root.resolve("imagesTr/" + id + ".nii.gz"));
		return new HippocampusSample(dataset, images);
	}
}
