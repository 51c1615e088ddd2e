package org.mnseg.inference;

import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;

/**
 * The result of sliding-window segmentation.
 *
 * @param labels        the arg-max class per voxel, on the image's grid and geometry
 * @param probabilities softmax probability per class, each array over the volume with X fastest; null when not
 *                      asked for
 */
public record Segmentation(LabelVolume labels, float[][] probabilities) {
	/**
	 * The foreground probability {@code 1 - P(background)} per voxel, on the labels' grid and geometry; null when the
	 * probabilities were not asked for.
	 */
	public Volume foregroundProbability() {
		if (probabilities == null) return null;
		float[] background = probabilities[0];
		float[] foreground = new float[background.length];
		for (int i = 0; i < foreground.length; i++) foreground[i] = 1f - background[i];
		int[] s = labels.shape();
		return Volume.wrap(foreground, new long[] { s[0], s[1], s[2] }, labels.geometry());
	}
}
