package org.mnseg.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks made before a command writes anything, so that no file the user owns is replaced by surprise: an output is
 * never one of the command's inputs (not even through another spelling of its path or a link), and an existing
 * output is replaced only when the user asked for it.
 */
public final class OutputFiles {
	private OutputFiles() {}

	/**
	 * The inputs that exist, by their real path (links resolved), so that outputs can be compared with them whatever
	 * the spelling of either path.
	 */
	public static Map<Path, Path> byRealPath(Collection<Path> inputs) {
		Map<Path, Path> real = new HashMap<>();
		for (Path in : inputs) {
			Path r = realPath(in);
			if (r != null) real.putIfAbsent(r, in);
		}
		return real;
	}

	/** The input that {@code output} would replace, or null: only an existing file can be an input. */
	public static Path inputAt(Path output, Map<Path, Path> inputsByRealPath) {
		Path r = realPath(output);
		return r == null ? null : inputsByRealPath.get(r);
	}

	/**
	 * Fails unless {@code output} may be written: it must not be a folder, and an existing file only with
	 * {@code overwrite}.
	 *
	 * @param overwriteHint how the user allows replacing, e.g. "--overwrite"
	 */
	public static void requireReplaceable(Path output, boolean overwrite, String overwriteHint) {
		if (Files.isDirectory(output)) throw new UserError(output + " is a folder; give the name of a file to write.");
		if (Files.exists(output) && !overwrite)
			throw new UserError(output + " already exists. Choose another file, or add " + overwriteHint + " to replace it.");
	}

	/** Fails when {@code folder}, where a command writes its {@code results}, is a file. */
	public static void requireFolder(Path folder, String results) {
		if (folder != null && Files.exists(folder) && !Files.isDirectory(folder))
			throw new UserError("The output " + folder + " is a file, not a folder. Give a folder for the " + results + " (it is created when missing).");
	}

	/**
	 * Fails when any of {@code existing} (outputs found in {@code folder}) exists, naming how many and the first, and
	 * saying {@code howToReplace} (e.g. "Add --overwrite to replace them").
	 */
	public static void requireNoneExist(List<Path> existing, Path folder, String howToReplace) {
		if (existing.isEmpty()) return;
		throw new UserError(existing.size() + " of the output files exist already in " + folder + " (" + existing.get(0).getFileName()
			+ (existing.size() > 1 ? ", ..." : "") + "). " + howToReplace + ", or choose another output folder.");
	}

	/** A file a command will write, and the input file it is made from (null: an open image, or a summary of all). */
	public record Planned(Path file, Path from) {}

	/**
	 * Every check made before a command writes its {@code results} (e.g. "segmentations") into {@code folder}: the
	 * folder is not a file, no planned file is one of {@code inputs} (whatever {@code overwrite} says), no two are one
	 * file, and files that exist already are replaced only with {@code overwrite}; {@code howToReplace} says how to
	 * allow that (e.g. "Add --overwrite to replace them").
	 */
	public static void requireSafe(List<Planned> planned, Collection<Path> inputs, Path folder, String results, boolean overwrite, String howToReplace) {
		requireFolder(folder, results);
		Map<Path, Path> inputsByRealPath = byRealPath(inputs);
		Map<Path, Planned> byFile = new HashMap<>();
		List<Path> existing = new ArrayList<>();
		for (Planned p : planned) {
			Path victim = inputAt(p.file(), inputsByRealPath);
			if (victim != null)
				throw new UserError("Writing the " + results + " would replace the input " + victim + (samePath(victim, p.file()) ? "" : " (as " + p.file() + ")")
					+ ". Write the " + results + " to a folder of their own.");
			Planned other = byFile.put(p.file().toAbsolutePath().normalize(), p);
			if (other != null)
				throw new UserError("The inputs " + name(other.from()) + " and " + name(p.from()) + " would both be written to " + p.file()
					+ ". Rename one of them, or write them to different folders.");
			if (Files.exists(p.file())) existing.add(p.file());
		}
		if (!overwrite) requireNoneExist(existing, folder, howToReplace);
	}

	private static boolean samePath(Path a, Path b) {
		return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
	}

	private static String name(Path from) {
		return from == null ? "an open image" : from.getFileName().toString();
	}

	/** Fails when {@code output} is one of {@code inputs} (same file), whatever {@code overwrite} says. */
	public static void requireNotInput(Path output, Collection<Path> inputs, String what) {
		Path input = inputAt(output, byRealPath(inputs));
		if (input != null)
			throw new UserError(what + " " + output + " is the input " + input + "; writing it would destroy that input. Give another file.");
	}

	private static Path realPath(Path p) {
		try {
			return Files.exists(p) ? p.toRealPath() : null;
		} catch (IOException e) {
			return null;
		}
	}
}
