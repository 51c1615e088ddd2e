package org.mnseg.fiji;

import java.nio.file.Path;
import java.util.List;

/**
 * What "M&amp;N Segment" is asked to do. The macro keys (and SciJava parameter names) are the component names:
 * {@code model}, {@code input}, {@code folder}, {@code output}, {@code probability}, {@code rois}.
 *
 * @param model the {@code .mnmodel} bundle
 * @param input {@link #CURRENT_IMAGE} or {@link #FOLDER}
 * @param folder the folder of volumes to segment (input = folder)
 * @param output where label files go; optional for the current image, required for a folder
 * @param probability also make the foreground probability map
 * @param rois also put one ROI per class and slice into the ROI Manager (current image only)
 */
public record SegmentSettings(Path model, String input, Path folder, Path output, boolean probability, boolean rois) {
	public static final String CURRENT_IMAGE = "current image", FOLDER = "folder";
	public static final List<String> INPUTS = List.of(CURRENT_IMAGE, FOLDER);

	public boolean batch() {
		return FOLDER.equals(input);
	}
}
