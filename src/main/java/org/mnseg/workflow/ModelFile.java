package org.mnseg.workflow;

import java.nio.file.Path;

import org.mnseg.bundle.ModelBundle;
import org.mnseg.inference.Segmenter;

/** A trained model file ({@code .mnmodel}) as a front end uses it: opened for segmentation as it was trained. */
public final class ModelFile {
	/** The file name extension of model files. */
	public static final String EXTENSION = ModelBundle.FILE_EXTENSION;

	private ModelFile() {}

	/** A segmenter for the model's default network on the automatic device, with the sliding window it was trained for. */
	public static Segmenter open(Path file) {
		return open(file, null);
	}

	/** {@link #open(Path)} with the network of {@code role} ({@link Segmenter#ENSEMBLE}: both; null: the default). */
	public static Segmenter open(Path file, String role) {
		Engine.prepare();
		ModelBundle bundle = ModelBundle.load(file);
		return new Segmenter(bundle, role, Engine.auto(), Segmenter.defaultWindow(bundle.info()));
	}
}
