package org.mnseg.fiji;

import java.nio.file.Path;
import java.util.List;

import org.mnseg.finetune.FineTuning;
import org.mnseg.models.NetworkFactory;
import org.mnseg.train.Presets;
import org.mnseg.workflow.TrainWorkflow;

/**
 * What "M&amp;N Co-Train" is asked to do. Macro keys (and SciJava parameter names): {@code labeled}, {@code images},
 * {@code labels}, {@code dataset}, {@code unlabeled}, {@code folder}, {@code method}, {@code architecture},
 * {@code model2d}, {@code finetuning}, {@code preset}, {@code epochs}, {@code subset}, {@code output}, {@code resume}, {@code options}.
 *
 * @param labeled where labeled data comes from: {@link #PAIRS}, {@link #ROIS} or {@link #FOLDER}
 * @param images titles of open images, comma separated (pairs; the first one for ROIs)
 * @param labels titles of their label images, same order (pairs)
 * @param dataset a data set folder or dataset.json (labeled = folder)
 * @param unlabeled titles of open unlabeled images, comma separated (may be empty)
 * @param unlabeledFolder a folder of unlabeled volumes (may be null)
 * @param epochs 0 keeps the preset's
 * @param subset "all" or the number of labeled cases of a folder data set
 * @param options further training options, {@code name=value} separated by spaces
 */
public record CoTrainSettings(String labeled, String images, String labels, Path dataset, String unlabeled, Path unlabeledFolder,
	String method, String architecture, String model2d, String finetuning, String preset, int epochs, String subset, Path output, boolean resume, String options) {

	public static final String PAIRS = "open image pairs", ROIS = "ROI Manager", FOLDER = "folder";
	public static final List<String> SOURCES = List.of(PAIRS, ROIS, FOLDER);

	/** The choices offered, read from the core so that new methods and networks appear without changes here. */
	public static List<String> methods() {
		return TrainWorkflow.METHODS;
	}

	public static List<String> architectures() {
		return NetworkFactory.ARCHITECTURES_3D;
	}

	public static List<String> models2d() {
		return NetworkFactory.ARCHITECTURES_2D;
	}

	public static List<String> fineTunings() {
		return java.util.Arrays.stream(FineTuning.Strategy.values()).map(FineTuning.Strategy::key).toList();
	}

	public static List<String> presets() {
		return Presets.NAMES;
	}
}
