package org.mnseg.data;

/**
 * A loaded case: normalised image and, for labeled cases, its label map on the same grid.
 *
 * @param id    case id
 * @param image normalised image (X, Y, Z, channels last)
 * @param label class indices, or null for an unlabeled case
 */
public record Sample(String id, Volume image, LabelVolume label) {
	public boolean hasLabel() {
		return label != null;
	}
}
