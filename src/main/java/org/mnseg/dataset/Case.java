package org.mnseg.dataset;

import java.nio.file.Path;

/**
 * One case of a data set: its id (the file's base name), its image file and, where the case is used as labeled or
 * for evaluation, its label file. Cases handed out as unlabeled carry no label path even when the file exists, so
 * that semi-supervised training cannot use it by accident.
 *
 * @param id    case id, e.g. {@code hippocampus_001}
 * @param image image file
 * @param label label file, or null
 */
public record Case(String id, Path image, Path label) {
	public boolean hasLabel() {
		return label != null;
	}

	/** The same case as an unlabeled one. */
	public Case withoutLabel() {
		return label == null ? this : new Case(id, image, null);
	}
}
