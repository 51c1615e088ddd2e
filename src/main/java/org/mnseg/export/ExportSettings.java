package org.mnseg.export;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link BioImageIoExporter} is asked to do; the command line and the Fiji command both fill one.
 *
 * @param bundle the {@code .mnmodel} file
 * @param out the BioImage.IO zip to write
 * @param role which network of the bundle ({@code null}: the bundle's default, "3d")
 * @param volume a volume for the test tensors and the cover ({@code null}: the first labeled case of the bundle's
 *        data set, where that is readable)
 * @param name the model's name ({@code null}: made from the data set and method)
 * @param authors the model's authors ({@code null} or empty: the user account's name)
 * @param license an SPDX license identifier for the exported weights
 * @param overwrite whether an existing {@code out} may be replaced
 */
public record ExportSettings(Path bundle, Path out, String role, Path volume, String name, List<String> authors, String license,
	boolean overwrite) {
	public static final String DEFAULT_LICENSE = "CC-BY-4.0";

	/** Authors as the command line and the Fiji dialog take them: one text, names separated by ';' (blank: none). */
	public static List<String> authors(String text) {
		return text == null ? List.of() : Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
	}
}
