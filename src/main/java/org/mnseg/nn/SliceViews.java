package org.mnseg.nn;

import java.util.Arrays;
import java.util.Locale;

import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;

/**
 * The orientations a 2-D network reads a volume in. {@link #AXIAL}: the slices along the depth axis (Z), as the
 * paper; {@link #ALL}: also the coronal (along Y) and sagittal (along X) slices, one network for all three. Trained
 * that way, the network learns from each orientation with its own loss; its prediction, and the pseudo-label it gives
 * the 3-D model, is the mean of the three orientations' probabilities ({@link SliceWise#forward}). A view of a volume
 * N x C x Z x Y x X is the same volume with that view's slicing axis moved to the depth position.
 */
public enum SliceViews {
	AXIAL("axial", new int[][] { { 0, 1, 2, 3, 4 } }),
	ALL("all", new int[][] { { 0, 1, 2, 3, 4 }, { 0, 1, 3, 2, 4 }, { 0, 1, 4, 2, 3 } });

	/** The orientation of each view, in order: the slices along Z, then along Y, then along X. */
	private static final String[] NAMES = { "axial", "coronal", "sagittal" };

	private final String id;
	/** Per view, the axes of N x C x Z x Y x X in the view's order (depth position: the view's slicing axis). */
	private final int[][] axes;

	SliceViews(String id, int[][] axes) {
		this.id = id;
		this.axes = axes;
	}

	/** The option value: {@code axial} or {@code all}. */
	public String id() {
		return id;
	}

	public int count() {
		return axes.length;
	}

	public static SliceViews parse(String value) {
		for (SliceViews v : values()) if (v.id.equals(value.trim().toLowerCase(Locale.ROOT))) return v;
		throw new UserError("--views2d must be axial (the 2-D model reads axial slices, the paper) or all (axial, coronal and sagittal slices), got '"
			+ value + "'.");
	}

	/** The orientation of view {@code view}: axial, coronal or sagittal. */
	public static String name(int view) {
		return NAMES[view];
	}

	/** View {@code view} of N x C x Z x Y x X volumes: its slicing axis at the depth position. */
	public View view(int view) {
		return new View(axes[view]);
	}

	/** A permutation of the spatial axes of 5-D arrays and its inverse. */
	public record View(int[] axes) {
		public NDArray of(NDArray volumes) {
			return isIdentity() ? volumes : volumes.transpose(axes);
		}

		/** Back from the view's order to N x C x Z x Y x X. */
		public NDArray back(NDArray viewed) {
			if (isIdentity()) return viewed;
			int[] inverse = new int[axes.length];
			for (int i = 0; i < axes.length; i++) inverse[axes[i]] = i;
			return viewed.transpose(inverse);
		}

		boolean isIdentity() {
			return Arrays.equals(axes, new int[] { 0, 1, 2, 3, 4 });
		}
	}
}
