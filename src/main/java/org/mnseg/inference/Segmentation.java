package org.mnseg.inference;

import org.mnseg.data.LabelVolume;

/**
 * The result of sliding-window segmentation.
 *
 * @param labels        the arg-max class per voxel, on the image's grid and geometry
 * @param probabilities softmax probability per class, each array over the volume with X fastest; null when not
 *                      asked for
 */
public record Segmentation(LabelVolume labels, float[][] probabilities) {
}
