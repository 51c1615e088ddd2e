package org.mnseg.inference;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.nn.EngineFloats;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Sliding-window prediction of a whole volume with a network that sees fixed-size patches (method.md,
 * "Inference"; the same scheme as MONAI's {@code sliding_window_inference} and nnU-Net), every choice explicit.
 *
 * <ul>
 * <li>Windows of the patch size start every {@code stride = max(1, floor(patch * (1 - overlap)))} voxels; the last
 * window on each axis is aligned to the volume end ({@link #windowStarts}). Windows are visited with Z outermost and
 * X innermost.</li>
 * <li>A volume shorter than the patch along an axis is padded to the patch size, centred (one voxel more after than
 * before when the difference is odd), with the edge value (default) or a constant; the padding is cropped from the
 * result.</li>
 * <li>Overlapping logits are averaged with UNIFORM weights (the M&amp;N reference, default) or with a GAUSSIAN that
 * favours window centres (nnU-Net: sigma = patch / 8 per axis, maximum 1, never zero).</li>
 * <li>Windows run through the network in batches (default 8), each batch in its own NDArray sub-manager that is
 * closed afterwards, so engine memory stays bounded by one batch.</li>
 * </ul>
 *
 * Immutable and reusable; build with {@link #builder}. The settings a model is trained and segmented with are a
 * {@link WindowSettings}; the builder adds what belongs to one use (padding, progress, cancelling).
 */
public final class SlidingWindow {

	/** How a volume shorter than the patch is filled up. */
	public enum Padding {
		/** Repeat the nearest voxel of the volume. */
		EDGE,
		/** Fill with {@link SlidingWindow#paddingValue()}. */
		CONSTANT
	}

	/** How overlapping windows are averaged. */
	public enum Blending {
		UNIFORM, GAUSSIAN;

		/** Parses a blending name ("uniform", "gaussian") with a clear message for anything else. */
		public static Blending parse(String name) {
			try {
				return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
			} catch (IllegalArgumentException e) {
				throw new UserError("Unknown blending '" + name + "'. Choose uniform or gaussian.");
			}
		}
	}

	/** Told after each batch how many windows are done; called on the predicting thread. */
	@FunctionalInterface
	public interface Progress {
		void windowsDone(int done, int total);
	}

	/**
	 * Window weights by blending and window shape, computed once per shape in a process (a Gaussian of a 64 x 64 x 32
	 * window is 131 072 exponentials); shared read-only.
	 */
	private static final Map<List<Object>, float[]> WEIGHTS = new ConcurrentHashMap<>();

	private final WindowSettings settings;
	/** The window size {x, y, z}, as in {@link #settings}; kept unpacked for the loops. */
	private final int[] patch;
	private final Padding padding;
	private final float paddingValue;
	private final Progress progress;
	private final BooleanSupplier cancelled;

	private SlidingWindow(Builder b) {
		this.settings = b.settings;
		this.patch = b.settings.patch();
		this.padding = b.padding;
		this.paddingValue = b.paddingValue;
		this.progress = b.progress;
		this.cancelled = b.cancelled;
	}

	/** A builder for windows of the given size {x, y, z} (normally the training patch size), other settings default. */
	public static Builder builder(int... patch) {
		return new Builder(WindowSettings.of(patch));
	}

	/** A builder starting from the given settings. */
	public static Builder builder(WindowSettings settings) {
		return new Builder(settings);
	}

	public WindowSettings settings() {
		return settings;
	}

	public int[] patch() {
		return patch.clone();
	}

	public double overlap() {
		return settings.overlap();
	}

	/** {x, y, z}: {@code max(1, floor(patch * (1 - overlap)))}. */
	public int[] stride() {
		int[] s = new int[3];
		// the small epsilon keeps e.g. 10 * (1 - 0.7) = 2.9999999999999996 from flooring to 2
		for (int a = 0; a < 3; a++) s[a] = Math.max(1, (int) Math.floor(patch[a] * (1 - settings.overlap()) + 1e-9));
		return s;
	}

	public Padding padding() {
		return padding;
	}

	public float paddingValue() {
		return paddingValue;
	}

	public Blending blending() {
		return settings.blending();
	}

	public int batchSize() {
		return settings.batch();
	}

	/**
	 * Start positions along one axis: every {@code stride} voxels from 0, plus a last window ending exactly at the
	 * volume end; {0} when the volume is not longer than the patch. Strictly increasing, every voxel covered.
	 */
	public static int[] windowStarts(int size, int patch, int stride) {
		if (size < 1 || patch < 1 || stride < 1)
			throw new IllegalArgumentException("size, patch and stride must be positive: " + size + ", " + patch + ", " + stride);
		if (size <= patch) return new int[] { 0 };
		int last = size - patch;
		int regular = (last - 1) / stride + 1; // starts 0, stride, ... strictly below last
		int[] starts = new int[regular + 1];
		for (int i = 0; i < regular; i++) starts[i] = i * stride;
		starts[regular] = last;
		return starts;
	}

	/**
	 * One axis of the Gaussian importance map: {@code exp(-(i - c)^2 / (2 sigma^2))} with {@code c = (patch-1)/2},
	 * {@code sigma = patch / 8}, divided by its maximum. The 3-D map is the product of the three axes.
	 */
	public static double[] gaussianProfile(int patch) {
		double centre = (patch - 1) / 2.0, sigma = 0.125 * patch;
		double[] w = new double[patch];
		double max = 0;
		for (int i = 0; i < patch; i++) {
			double d = (i - centre) / sigma;
			w[i] = Math.exp(-0.5 * d * d);
			max = Math.max(max, w[i]);
		}
		for (int i = 0; i < patch; i++) w[i] /= max;
		return w;
	}

	/** The weight of each voxel of a window, [Z, Y, X] with X fastest; all positive. */
	public float[] windowWeights() {
		return weights().clone();
	}

	/** The cached weights of this window shape and blending (not to be changed). */
	private float[] weights() {
		return WEIGHTS.computeIfAbsent(List.of(settings.blending(), patch[0], patch[1], patch[2]), k -> computeWeights(settings.blending(), patch));
	}

	private static float[] computeWeights(Blending blending, int[] patch) {
		int px = patch[0], py = patch[1], pz = patch[2];
		float[] w = new float[px * py * pz];
		if (blending == Blending.UNIFORM) {
			Arrays.fill(w, 1f);
			return w;
		}
		double[] gx = gaussianProfile(px), gy = gaussianProfile(py), gz = gaussianProfile(pz);
		for (int z = 0, i = 0; z < pz; z++)
			for (int y = 0; y < py; y++)
				for (int x = 0; x < px; x++, i++)
					w[i] = Math.max(Float.MIN_NORMAL, (float) (gz[z] * gy[y] * gx[x])); // never zero: no voxel may go unweighted
		return w;
	}

	/**
	 * Predicts logits for the whole volume.
	 *
	 * @param image     the volume (C channels)
	 * @param predictor maps a batch N x C x pz x py x px to logits N x K x pz x py x px (for example a network's
	 *                  forward pass in evaluation mode); its result should live in the input's manager, which is
	 *                  closed after each batch
	 * @param manager   parent of the per-batch sub-managers
	 * @return K arrays over the volume, X fastest: the blended logits
	 * @throws CancellationException when the cancel check turned true between two batches
	 */
	public float[][] predictLogits(Volume image, Function<NDArray, NDArray> predictor, NDManager manager) {
		int[] size = image.shape();
		int channels = image.channels();
		int[] grid = new int[3], before = new int[3];
		for (int a = 0; a < 3; a++) {
			grid[a] = Math.max(size[a], patch[a]);
			before[a] = (grid[a] - size[a]) / 2;
		}
		boolean padded = !Arrays.equals(grid, size);
		float[] source = padded ? pad(image.data(), size, channels, grid, before) : image.data();

		int[] stride = stride();
		int[] xs = windowStarts(grid[0], patch[0], stride[0]);
		int[] ys = windowStarts(grid[1], patch[1], stride[1]);
		int[] zs = windowStarts(grid[2], patch[2], stride[2]);
		int total = xs.length * ys.length * zs.length;

		Accumulator acc = new Accumulator(grid, patch, weights());
		int batchSize = settings.batch();
		int windowVoxels = patch[0] * patch[1] * patch[2];
		float[] batch = new float[Math.min(batchSize, total) * channels * windowVoxels];
		int[][] origins = new int[Math.min(batchSize, total)][];
		for (int first = 0; first < total; first += batchSize) {
			if (cancelled != null && cancelled.getAsBoolean()) throw new CancellationException("sliding-window prediction cancelled");
			int n = Math.min(batchSize, total - first);
			for (int b = 0; b < n; b++) {
				int w = first + b;
				origins[b] = new int[] { xs[w % xs.length], ys[w / xs.length % ys.length], zs[w / (xs.length * ys.length)] };
				copyWindow(source, grid, channels, origins[b], batch, b * channels * windowVoxels);
			}
			try (NDManager sub = manager.newSubManager()) {
				NDArray input = sub.create(FloatBuffer.wrap(batch, 0, n * channels * windowVoxels),
					new Shape(n, channels, patch[2], patch[1], patch[0]));
				NDArray logits = predictor.apply(input);
				int classes = checkOutput(logits.getShape(), n);
				// read where the engine put them: a copy of one batch's logits is tens of MB (8 LA-sized windows of
				// 2 classes: 64 MB) on the heap and as much again in native memory, for every batch of every volume
				acc.add(EngineFloats.view(logits.toType(DataType.FLOAT32, false)), classes, origins, n);
			}
			if (progress != null) progress.windowsDone(first + n, total);
		}
		float[][] result = acc.average();
		return padded ? crop(result, grid, size, before) : result;
	}

	/**
	 * Segments the volume: arg-max of the blended logits (ties go to the lower class) and, when asked, their softmax.
	 * The label volume takes the image's geometry.
	 */
	public Segmentation segment(Volume image, Function<NDArray, NDArray> predictor, NDManager manager, boolean withProbabilities) {
		float[][] logits = predictLogits(image, predictor, manager);
		if (logits.length > 256)
			throw new UserError("the network predicts " + logits.length + " classes; label volumes hold at most 256: use a model with fewer classes");
		int voxels = logits[0].length;
		byte[] labels = new byte[voxels];
		for (int i = 0; i < voxels; i++) {
			int best = 0;
			for (int k = 1; k < logits.length; k++) if (logits[k][i] > logits[best][i]) best = k;
			labels[i] = (byte) best;
			if (withProbabilities) softmaxInPlace(logits, i, logits[best][i]);
		}
		LabelVolume volume = LabelVolume.wrap(labels, image.shape(), image.geometry());
		return new Segmentation(volume, withProbabilities ? logits : null);
	}

	private static void softmaxInPlace(float[][] logits, int i, float max) {
		double sum = 0;
		for (float[] k : logits) sum += Math.exp(k[i] - max); // shifted by the maximum: no overflow
		for (float[] k : logits) k[i] = (float) (Math.exp(k[i] - max) / sum);
	}

	private int checkOutput(Shape shape, int n) {
		if (shape.dimension() != 5 || shape.get(0) != n || shape.get(2) != patch[2] || shape.get(3) != patch[1]
			|| shape.get(4) != patch[0] || shape.get(1) < 1)
			throw new UserError("the network turned a window batch of " + n + " x C x " + patch[2] + " x " + patch[1] + " x "
				+ patch[0] + " into " + shape + "; it must return N x classes x the same spatial size: check that the model"
				+ " matches the window size (patch) and is a 3-D segmentation model");
		return (int) shape.get(1);
	}

	/** Copies one window (all channels) out of the grid into the batch buffer, [C, Z, Y, X]. */
	private void copyWindow(float[] source, int[] grid, int channels, int[] origin, float[] batch, int offset) {
		long gridVoxels = (long) grid[0] * grid[1] * grid[2];
		int o = offset;
		for (int c = 0; c < channels; c++)
			for (int z = 0; z < patch[2]; z++)
				for (int y = 0; y < patch[1]; y++, o += patch[0]) {
					long row = c * gridVoxels + ((long) (origin[2] + z) * grid[1] + origin[1] + y) * grid[0] + origin[0];
					System.arraycopy(source, (int) row, batch, o, patch[0]);
				}
	}

	private float[] pad(float[] data, int[] size, int channels, int[] grid, int[] before) {
		long voxels = (long) size[0] * size[1] * size[2];
		float[] out = new float[channels * grid[0] * grid[1] * grid[2]];
		int o = 0;
		for (int c = 0; c < channels; c++)
			for (int z = 0; z < grid[2]; z++)
				for (int y = 0; y < grid[1]; y++)
					for (int x = 0; x < grid[0]; x++, o++) {
						int vx = x - before[0], vy = y - before[1], vz = z - before[2];
						boolean inside = vx >= 0 && vx < size[0] && vy >= 0 && vy < size[1] && vz >= 0 && vz < size[2];
						if (!inside && padding == Padding.CONSTANT) {
							out[o] = paddingValue;
							continue;
						}
						vx = clamp(vx, size[0]);
						vy = clamp(vy, size[1]);
						vz = clamp(vz, size[2]);
						out[o] = data[(int) (c * voxels + ((long) vz * size[1] + vy) * size[0] + vx)];
					}
		return out;
	}

	private static int clamp(int i, int size) {
		return Math.max(0, Math.min(size - 1, i));
	}

	private static float[][] crop(float[][] full, int[] grid, int[] size, int[] before) {
		float[][] out = new float[full.length][size[0] * size[1] * size[2]];
		for (int k = 0; k < full.length; k++)
			for (int z = 0, o = 0; z < size[2]; z++)
				for (int y = 0; y < size[1]; y++, o += size[0])
					System.arraycopy(full[k], ((z + before[2]) * grid[1] + y + before[1]) * grid[0] + before[0], out[k], o, size[0]);
		return out;
	}

	/** Running weighted sums of window logits over the (padded) grid, and the sum of weights per voxel. */
	private static final class Accumulator {
		private final int[] grid, patch;
		private final float[] weights, weightSum;
		private float[][] sums;

		Accumulator(int[] grid, int[] patch, float[] weights) {
			this.grid = grid;
			this.patch = patch;
			this.weights = weights;
			this.weightSum = new float[grid[0] * grid[1] * grid[2]];
		}

		/** Adds {@code n} windows' logits, laid out N x K x pz x py x px, at their origins. */
		void add(FloatBuffer logits, int classes, int[][] origins, int n) {
			if (sums == null) sums = new float[classes][weightSum.length];
			else if (sums.length != classes)
				throw new IllegalStateException("the predictor returned " + classes + " classes after " + sums.length);
			int px = patch[0], py = patch[1], pz = patch[2], windowVoxels = px * py * pz;
			float[] line = new float[px]; // one row of a window's logits at a time
			for (int b = 0; b < n; b++) {
				int[] o = origins[b];
				for (int k = -1; k < classes; k++) { // k = -1: the weights themselves
					float[] target = k < 0 ? weightSum : sums[k];
					int src = (b * classes + Math.max(k, 0)) * windowVoxels;
					for (int z = 0, w = 0; z < pz; z++)
						for (int y = 0; y < py; y++, w += px) {
							int row = ((o[2] + z) * grid[1] + o[1] + y) * grid[0] + o[0];
							if (k < 0) {
								for (int x = 0; x < px; x++) target[row + x] += weights[w + x];
								continue;
							}
							logits.get(src + w, line, 0, px);
							for (int x = 0; x < px; x++) target[row + x] += weights[w + x] * line[x];
						}
				}
			}
		}

		/** Divides the sums by the weights, in place. */
		float[][] average() {
			for (float[] s : sums)
				for (int i = 0; i < s.length; i++) s[i] /= weightSum[i];
			return sums;
		}
	}

	/** Collects the settings and checks them in {@link #build()}. */
	public static final class Builder {
		private WindowSettings settings;
		private Padding padding = Padding.EDGE;
		private float paddingValue;
		private Progress progress;
		private BooleanSupplier cancelled;

		private Builder(WindowSettings settings) {
			this.settings = settings;
		}

		/** Fraction of a window shared with its neighbour, in [0, 1); default 0.5. */
		public Builder overlap(double overlap) {
			settings = settings.withOverlap(overlap);
			return this;
		}

		/** Constant padding with the given value for volumes shorter than the window. */
		public Builder constantPadding(float value) {
			this.padding = Padding.CONSTANT;
			this.paddingValue = value;
			return this;
		}

		public Builder blending(Blending blending) {
			settings = settings.withBlending(blending);
			return this;
		}

		/** Windows per network call; default 8. */
		public Builder batchSize(int batchSize) {
			settings = settings.withBatch(batchSize);
			return this;
		}

		/** Optional: told after each batch how many windows are done. */
		public Builder progress(Progress progress) {
			this.progress = progress;
			return this;
		}

		/** Optional: checked before each batch; when it returns true the prediction stops with a CancellationException. */
		public Builder cancelWhen(BooleanSupplier cancelled) {
			this.cancelled = cancelled;
			return this;
		}

		public SlidingWindow build() {
			return new SlidingWindow(this);
		}
	}
}
