package org.mnseg.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.mnseg.data.LabelVolume;
import org.mnseg.data.NonFiniteVoxels;
import org.mnseg.data.Volume;
import org.mnseg.inference.Segmentation;
import org.mnseg.inference.Segmenter;
import org.mnseg.inference.SlidingWindow;
import org.mnseg.io.VolumeIO;
import org.mnseg.train.RunListener;
import org.mnseg.util.OutputFiles;
import org.mnseg.util.UserError;

/**
 * Segments one volume file or every volume file in a folder and writes {@code <name>.nii.gz} label images
 * ({@code <name>.tif} for TIFF input) on the input's grid.
 */
public final class SegmentWorkflow {
	private SegmentWorkflow() {}

	/**
	 * Input files: the file itself, the (not hidden) volume files of a folder sorted by name, or the paths listed in a {@code .txt}
	 * file (one per line, relative ones against the list's folder; blank lines and lines starting with # skipped).
	 */
	public static List<Path> inputs(Path input) {
		if (Files.isRegularFile(input) && input.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".txt")) return listed(input);
		if (Files.isRegularFile(input)) return List.of(input);
		if (!Files.isDirectory(input)) throw new UserError("The input " + input + " does not exist. Give a volume file, a folder of volumes or a .txt list of volume files.");
		try (Stream<Path> s = Files.list(input)) {
			// hidden files are left out: among them the temporary files of an interrupted atomic write
			List<Path> files = new ArrayList<>(s.filter(f -> VolumeIO.isVolumeFile(f) && !f.getFileName().toString().startsWith(".")).sorted().toList());
			if (files.isEmpty()) throw new UserError("The folder " + input + " holds no volume file (.nii, .nii.gz, .tif, .tiff, .h5).");
			return files;
		} catch (IOException e) {
			throw new UserError("Cannot list the folder " + input + ": " + e.getMessage(), e);
		}
	}

	private static List<Path> listed(Path list) {
		List<String> lines;
		try {
			lines = Files.readAllLines(list);
		} catch (IOException e) {
			throw new UserError("Cannot read the list " + list + ": " + e.getMessage(), e);
		}
		Path base = list.toAbsolutePath().getParent();
		List<Path> files = new ArrayList<>();
		// two inputs with one base name would write the same output file: refuse before anything is segmented
		Map<String, Integer> seen = new HashMap<>();
		for (int n = 0; n < lines.size(); n++) {
			String line = lines.get(n).strip();
			if (line.isEmpty() || line.startsWith("#")) continue;
			Path f = base.resolve(line);
			if (!VolumeIO.isVolumeFile(f))
				throw new UserError(list + " line " + (n + 1) + ": '" + line + "' is not a volume file (.nii, .nii.gz, .tif, .tiff, .h5).");
			Integer earlier = seen.put(VolumeIO.baseName(f), n + 1);
			if (earlier != null)
				throw new UserError(list + " lines " + earlier + " and " + (n + 1) + " have the same file name " + VolumeIO.baseName(f)
					+ ", so their outputs would overwrite each other. Rename one of them.");
			files.add(f);
		}
		if (files.isEmpty()) throw new UserError("The list " + list + " names no volume file.");
		return files;
	}

	/** The output file for an input: TIFF stays TIFF, everything else becomes gzipped NIfTI. */
	public static Path outputFor(Path input, Path outputDir, String suffix) {
		return outputDir.resolve(VolumeIO.baseName(input) + suffix + outputExtension(input));
	}

	/** The format a volume derived from {@code input} is written in: TIFF stays TIFF, everything else gzipped NIfTI. */
	public static String outputExtension(Path input) {
		String name = input.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		return name.endsWith(".tif") || name.endsWith(".tiff") ? ".tif" : ".nii.gz";
	}

	/**
	 * The files {@link #segmentOne} writes for an input, the label image last: it is written after the probability
	 * map, each atomically, so that an existing label image means the volume's output is complete.
	 */
	public static List<Path> outputsFor(Path input, Path outputDir, boolean probabilities) {
		Path labels = outputFor(input, outputDir, "");
		return probabilities ? List.of(outputFor(input, outputDir, "_foreground_probability"), labels) : List.of(labels);
	}

	/**
	 * Checks, before anything is segmented, that writing the outputs of {@code inputs} destroys nothing: the output
	 * folder is not a file, no output is an input (a folder segmented into itself would turn its MRI into label
	 * images), no two inputs write the same output, and existing outputs are replaced only with {@code overwrite}.
	 */
	public static void requireSafeOutputs(List<Path> inputs, Path outputDir, boolean probabilities, boolean overwrite) {
		requireSafeOutputs(inputs, outputDir, probabilities, overwrite, "Add --overwrite to replace them, --skip-existing to segment only the missing ones");
	}

	/** {@link #requireSafeOutputs}, saying {@code howToReplace} (a front end's words) where outputs exist. */
	public static void requireSafeOutputs(List<Path> inputs, Path outputDir, boolean probabilities, boolean overwrite, String howToReplace) {
		List<OutputFiles.Planned> planned = new ArrayList<>();
		for (Path in : inputs)
			for (Path out : outputsFor(in, outputDir, probabilities)) planned.add(new OutputFiles.Planned(out, in));
		OutputFiles.requireSafe(planned, inputs, outputDir, "segmentations", overwrite, howToReplace);
	}

	/** Segments every input; returns the files written. Existing outputs are replaced, inputs never. */
	public static List<Path> run(Segmenter segmenter, Path input, Path outputDir, boolean probabilities, RunListener listener,
		BooleanSupplier cancelled) {
		return run(segmenter, input, outputDir, probabilities, null, listener, cancelled);
	}

	/** {@link #run}, with NaN and infinite voxels of the inputs replaced by {@code replaceNonFinite} (null: refused). */
	public static List<Path> run(Segmenter segmenter, Path input, Path outputDir, boolean probabilities, Float replaceNonFinite, RunListener listener,
		BooleanSupplier cancelled) {
		List<Path> files = inputs(input);
		requireSafeOutputs(files, outputDir, probabilities, true);
		List<Path> written = new ArrayList<>();
		int i = 0;
		for (Path f : files) {
			if (cancelled != null && cancelled.getAsBoolean()) throw new java.util.concurrent.CancellationException("Segmentation cancelled");
			listener.message("Segmenting " + f.getFileName() + " (" + (++i) + "/" + files.size() + ")");
			written.addAll(segmentOne(segmenter, f, outputDir, probabilities, replaceNonFinite, cancelled));
		}
		return written;
	}

	/**
	 * What an image in memory gave.
	 *
	 * @param foregroundProbability 1 - P(background) per voxel; null when not asked for
	 * @param classNames            the model's classes, background first (label value = index)
	 */
	public record ImageResult(LabelVolume labels, Volume foregroundProbability, List<String> classNames) {}

	/**
	 * Segments an image a front end holds in memory (a Fiji image), named {@code source} in messages; NaN and infinite
	 * voxels become {@code replaceNonFinite} (null: the image is refused, as a file would be).
	 */
	public static ImageResult segmentImage(Segmenter segmenter, Volume image, String source, boolean probability, Float replaceNonFinite,
		SlidingWindow.Progress progress, BooleanSupplier cancelled) {
		NonFiniteVoxels.requireFinite(image, source, replaceNonFinite);
		Segmentation seg = segmenter.segment(image, probability, progress, cancelled);
		return new ImageResult(seg.labels(), probability ? seg.foregroundProbability() : null, segmenter.info().classNames);
	}

	/**
	 * The replacement for NaN and infinite voxels that an option's text asks for: null for an empty text (such voxels
	 * are refused), else a finite number (or a {@link UserError}).
	 */
	public static Float replacementFor(String text) {
		return NonFiniteVoxels.parseReplacement(text);
	}

	/** A file or image name without its volume extension ({@code .nii.gz}, {@code .tif}, ...): how results are named. */
	public static String baseName(String name) {
		return VolumeIO.baseName(name);
	}

	/**
	 * Segments one volume file and writes {@link #outputsFor} it, in that order; returns the files written. NaN and
	 * infinite voxels become {@code replaceNonFinite} (null: the file is refused).
	 */
	public static List<Path> segmentOne(Segmenter segmenter, Path file, Path outputDir, boolean probabilities, Float replaceNonFinite,
		BooleanSupplier cancelled) {
		Volume v = VolumeIO.readImage(file, replaceNonFinite);
		Segmentation seg = segmenter.segment(v, probabilities, null, cancelled);
		List<Path> outputs = outputsFor(file, outputDir, probabilities);
		if (probabilities && seg.probabilities() != null) VolumeIO.writeImage(seg.foregroundProbability(), outputs.get(0));
		VolumeIO.writeLabels(seg.labels(), outputs.get(outputs.size() - 1));
		return outputs;
	}
}
