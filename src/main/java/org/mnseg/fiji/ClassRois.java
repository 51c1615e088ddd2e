package org.mnseg.fiji;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.util.UserError;

import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

/**
 * Labels and ROIs, both ways. {@link #toRois} gives one ROI per class and slice (named after the class, its group
 * the class index, positioned on its slice). {@link #toLabels} turns hand-drawn ROIs back into a label volume:
 * <ul>
 * <li>a ROI's class is its group when it has one (ROI Manager &gt; Properties &gt; Group); otherwise the number
 * its name starts with ("1", "2 posterior"); otherwise its name, distinct names numbered 1, 2, ... in order of first
 * appearance;</li>
 * <li>a ROI lies on its slice (its Z position, or position in a plain stack); on a single image every ROI lies on
 * the image;</li>
 * <li>an annotated slice is one with at least one ROI; on it, every pixel outside all ROIs is background. Slices
 * without ROIs carry no labels, so the labeled volume is made of the annotated slices only
 * ({@link Annotation#slices()}).</li>
 * </ul>
 */
public final class ClassRois {
	private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*(\\d+)\\b");
	/**
	 * The name the ROI Manager gives a ROI that was added without one: its slice and position ({@code 0012-0034-0056},
	 * {@code 0034-0056} on a single image, {@code -1} appended to a duplicate). It starts with a number that is the
	 * slice, not a class.
	 */
	private static final Pattern IMAGEJ_DEFAULT_NAME = Pattern.compile("^\\d{4,}(-\\d{4,}){1,4}(-\\d+)?$");

	private ClassRois() {}

	/**
	 * A ROI's group colour comes from Fiji's {@code luts/glasbey.lut}. Plain ImageJ has no such file, and then every
	 * {@link Roi#setGroup} logs "LUT not found" (hundreds of lines for one segmentation). Where the file is missing,
	 * the groups take the label image's colours instead, so that a class's ROIs have its colour there. ImageJ offers no
	 * setter for that table, hence the reflection; if it fails, the only loss is the log lines.
	 */
	static void provideGroupColours() {
		String luts = ij.IJ.getDir("luts");
		if (luts != null && new java.io.File(luts, "glasbey.lut").isFile()) return;
		try {
			java.lang.reflect.Field table = Roi.class.getDeclaredField("glasbeyLut");
			table.setAccessible(true);
			if (table.get(null) == null) table.set(null, LabelImages.labelLut());
		} catch (ReflectiveOperationException | RuntimeException e) {
			// an ImageJ without that field: its own lookup stays
		}
	}

	/** Labels rebuilt from ROIs, and the (1-based, ascending) slices they cover. */
	public record Annotation(LabelVolume labels, int[] slices, Map<String, Integer> classes) {}

	/** One ROI per class (>= 1) and slice where the class occurs; names {@code <class> z<slice>}. */
	public static List<Roi> toRois(LabelVolume labels, List<String> classNames) {
		provideGroupColours();
		int[] s = labels.shape();
		int plane = s[0] * s[1];
		byte[] data = labels.data();
		List<Roi> rois = new ArrayList<>();
		for (int z = 0; z < s[2]; z++) {
			for (int k = 1; k <= labels.maxLabel(); k++) {
				ByteProcessor mask = new ByteProcessor(s[0], s[1]);
				byte[] m = (byte[]) mask.getPixels();
				boolean any = false;
				for (int i = 0; i < plane; i++)
					if ((data[z * plane + i] & 0xff) == k) {
						m[i] = (byte) 255;
						any = true;
					}
				if (!any) continue;
				mask.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
				Roi roi = ThresholdToSelection.run(new ij.ImagePlus("", mask));
				if (roi == null) continue;
				String name = k < classNames.size() ? classNames.get(k) : "class " + k;
				roi.setName(name + " z" + (z + 1));
				roi.setGroup(Math.min(k, 255));
				roi.setPosition(z + 1);
				rois.add(roi);
			}
		}
		return rois;
	}

	/**
	 * Rasterises hand-drawn ROIs on an image of {@code shape} (x, y, slices) into labels of the annotated slices.
	 *
	 * @param imageTitle named in messages
	 */
	public static Annotation toLabels(Roi[] rois, int[] shape, Geometry geometry, String imageTitle) {
		return toLabels(rois, shape, geometry, imageTitle, new LinkedHashMap<>());
	}

	/**
	 * As above, with the classes already given to names ({@code classes}, extended here): ROIs on several images
	 * share it, so that a name means the same class on every image.
	 */
	public static Annotation toLabels(Roi[] rois, int[] shape, Geometry geometry, String imageTitle, Map<String, Integer> classes) {
		if (rois.length == 0)
			throw new UserError("The ROI Manager is empty. Draw the objects of each class on some slices of '" + imageTitle
				+ "', add them with [t], and name each ROI after its class (or set its group).");
		int[] roiClass = new int[rois.length];
		int[] roiSlice = new int[rois.length];
		boolean[] annotated = new boolean[shape[2]];
		for (int r = 0; r < rois.length; r++) {
			roiClass[r] = classOf(rois[r], classes);
			int z = rois[r].getZPosition() > 0 ? rois[r].getZPosition() : rois[r].getPosition();
			if (z == 0 && shape[2] == 1) z = 1;
			if (z < 1 || z > shape[2])
				throw new UserError("ROI '" + rois[r].getName() + "' is not tied to a slice of '" + imageTitle + "' (" + shape[2]
					+ " slices). In the ROI Manager choose More > Options > 'Associate with slices', then add the ROI again on its slice.");
			roiSlice[r] = z;
			annotated[z - 1] = true;
		}
		List<Integer> slices = new ArrayList<>();
		for (int z = 0; z < shape[2]; z++)
			if (annotated[z]) slices.add(z + 1);
		int plane = shape[0] * shape[1];
		byte[] out = new byte[plane * slices.size()];
		for (int r = 0; r < rois.length; r++) {
			int index = slices.indexOf(roiSlice[r]);
			ByteProcessor mask = new ByteProcessor(shape[0], shape[1]);
			mask.setColor(255);
			mask.fill(rois[r]);
			byte[] m = (byte[]) mask.getPixels();
			for (int i = 0; i < plane; i++)
				if (m[i] != 0) out[index * plane + i] = (byte) roiClass[r];
		}
		int[] sliceArray = slices.stream().mapToInt(Integer::intValue).toArray();
		return new Annotation(LabelVolume.wrap(out, new int[] { shape[0], shape[1], sliceArray.length }, geometry), sliceArray, classes);
	}

	private static int classOf(Roi roi, Map<String, Integer> byName) {
		if (roi.getGroup() > 0) return roi.getGroup();
		String name = roi.getName() == null ? "" : roi.getName().trim();
		if (IMAGEJ_DEFAULT_NAME.matcher(name).matches())
			throw new UserError("ROI '" + name + "' has the name the ROI Manager gave it (its slice and position), not a class. Rename it after its "
				+ "class (e.g. '1' or 'anterior') or set its group in the ROI Manager's Properties.");
		Matcher m = LEADING_NUMBER.matcher(name);
		if (m.find()) {
			int k = Integer.parseInt(m.group(1));
			if (k < 1 || k > 255) throw new UserError("ROI '" + name + "': class " + k + " is out of range; classes are 1 to 255 (0 is background).");
			return k;
		}
		if (name.isEmpty())
			throw new UserError("A ROI has neither a name nor a group, so its class is unknown. Rename it after its class (e.g. '1' or 'anterior') "
				+ "or set its group in the ROI Manager's Properties.");
		// names made by toRois end in " z<slice>": the class is the part before
		String className = name.replaceFirst("\\s+z\\d+$", "");
		return byName.computeIfAbsent(className, n -> byName.size() + 1);
	}
}
