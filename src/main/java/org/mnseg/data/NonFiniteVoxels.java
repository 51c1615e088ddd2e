package org.mnseg.data;

import org.mnseg.util.UserError;

/**
 * NaN and infinite voxels in an image. One of them turns the per-volume normalisation, and so every probability and
 * every weight trained on it, into NaN without a word; so they are refused where an image enters M&N (a file read,
 * an open Fiji image), unless the user chose a finite value to put in their place ({@code --replace-nan VALUE}).
 */
public final class NonFiniteVoxels {
	private NonFiniteVoxels() {}

	/** The option that chooses the replacement, as commands and the refusal name it. */
	public static final String OPTION = "--replace-nan";

	/**
	 * Refuses {@code v} if it holds NaN or infinite voxels, naming {@code source} (a file or an image title) and the
	 * count; with a {@code replacement}, puts it in their place instead (in {@code v} itself) and returns how many.
	 * The refusal names {@link #OPTION}: for commands that offer it.
	 */
	public static long requireFinite(Volume v, String source, Float replacement) {
		return check(v, source, replacement, " Replace them with finite values first, give the value to put in their place (e.g. 0) in " + OPTION
			+ ", or leave the image out.");
	}

	/** Refuses {@code v} if it holds NaN or infinite voxels, naming {@code source}: for images that no option reaches. */
	public static void requireFinite(Volume v, String source) {
		check(v, source, null, " Replace them with finite values (e.g. 0) first.");
	}

	private static long check(Volume v, String source, Float replacement, String advice) {
		float[] data = v.data();
		long bad = 0;
		for (float x : data)
			if (!Float.isFinite(x)) bad++;
		if (bad == 0) return 0;
		if (replacement == null)
			throw new UserError(source + " has " + bad + " of " + data.length + " voxels that are NaN or infinite; M&N cannot train on or segment"
				+ " such an image." + advice);
		float r = replacement;
		for (int i = 0; i < data.length; i++)
			if (!Float.isFinite(data[i])) data[i] = r;
		return bad;
	}

	/**
	 * The replacement an option's text asks for: null for "" (none: non-finite voxels are refused), else a finite
	 * number, or a UserError.
	 */
	public static Float parseReplacement(String text) {
		if (text == null || text.isBlank()) return null;
		float value;
		try {
			value = Float.parseFloat(text.trim());
		}
		catch (NumberFormatException e) {
			value = Float.NaN;
		}
		if (!Float.isFinite(value))
			throw new UserError(OPTION + " expects the finite number to put in place of NaN or infinite voxels (e.g. 0), got '" + text + "'.");
		return value;
	}
}
