package org.mnseg.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.mnseg.data.Volume;
import org.mnseg.inference.Segmentation;
import org.mnseg.inference.Segmenter;
import org.mnseg.io.VolumeIO;
import org.mnseg.train.RunListener;
import org.mnseg.util.UserError;

/**
 * Segments one volume file or every volume file in a folder and writes {@code <name>.nii.gz} label images
 * ({@code <name>.tif} for TIFF input) on the input's grid.
 */
public final class SegmentWorkflow {
	private SegmentWorkflow() {}

	/** Input files: the file itself, or the volume files of a folder sorted by name. */
	public static List<Path> inputs(Path input) {
		if (Files.isRegularFile(input)) return List.of(input);
		if (!Files.isDirectory(input)) throw new UserError("The input " + input + " does not exist. Give a volume file or a folder of volumes.");
		try (Stream<Path> s = Files.list(input)) {
			List<Path> files = new ArrayList<>(s.filter(VolumeIO::isVolumeFile).sorted().toList());
			if (files.isEmpty()) throw new UserError("The folder " + input + " holds no volume file (.nii, .nii.gz, .tif, .tiff, .h5).");
			return files;
		} catch (IOException e) {
			throw new UserError("Cannot list the folder " + input + ": " + e.getMessage(), e);
		}
	}

	/** The output file for an input: TIFF stays TIFF, everything else becomes gzipped NIfTI. */
	public static Path outputFor(Path input, Path outputDir, String suffix) {
		String name = input.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		String ext = name.endsWith(".tif") || name.endsWith(".tiff") ? ".tif" : ".nii.gz";
		return outputDir.resolve(VolumeIO.baseName(input) + suffix + ext);
	}

	/** Segments every input; returns the files written. */
	public static List<Path> run(Segmenter segmenter, Path input, Path outputDir, boolean probabilities, RunListener listener,
		BooleanSupplier cancelled) {
		List<Path> files = inputs(input);
		List<Path> written = new ArrayList<>();
		int i = 0;
		for (Path f : files) {
			if (cancelled != null && cancelled.getAsBoolean()) throw new java.util.concurrent.CancellationException("Segmentation cancelled");
			listener.message("Segmenting " + f.getFileName() + " (" + (++i) + "/" + files.size() + ")");
			Volume v = VolumeIO.readImage(f);
			Segmentation seg = segmenter.segment(v, probabilities, null, cancelled);
			Path out = outputFor(f, outputDir, "");
			VolumeIO.writeLabels(seg.labels(), out);
			written.add(out);
			if (probabilities && seg.probabilities() != null) {
				Path pOut = outputFor(f, outputDir, "_foreground_probability");
				VolumeIO.writeImage(seg.foregroundProbability(), pOut);
				written.add(pOut);
			}
		}
		return written;
	}
}
