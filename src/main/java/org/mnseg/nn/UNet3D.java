package org.mnseg.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The 3-D UNet of the M&N reference code: {@code levels} resolution levels with {@code baseFilters * 2^i} filters at
 * level i. Each block is two (3x3x3 conv, padding 1 -> instance norm without affine -> ReLU); the encoder max-pools
 * by 2 before every block but the first; the decoder upsamples trilinearly by 2 (align_corners false), applies a
 * 3x3x3 conv + IN + ReLU that halves the channels, concatenates the skip (skip first) and applies a block; a final
 * 3x3x3 conv gives the class logits. {@code scripts/reference/unet3d_torch.py} is the same network in PyTorch with
 * the same parameter names ({@code enc.i.conv1.weight}, {@code up.i.conv.bias}, {@code dec.i.conv2.weight},
 * {@code out.weight}, ...), in the same order.
 *
 * <p>Weights are initialised as PyTorch initialises {@code nn.Conv3d} (uniform in +-1/sqrt(fan_in) for weights and
 * biases) from a seeded {@link SplittableRandom}, so a seed gives the same network on any engine.
 */
public final class UNet3D extends AbstractNetwork {
	public static final String ARCHITECTURE = "unet3d";
	public static final int DEFAULT_LEVELS = 5;
	public static final int DEFAULT_BASE_FILTERS = 32;

	private final int levels;
	private final int baseFilters;
	private final List<Param> params = new ArrayList<>();
	private final Conv[][] encoder;
	private final Conv[] upConvs;
	private final Conv[][] decoder;
	private final Conv output;

	/**
	 * Builds a freshly initialised network whose parameters live in a new sub-manager of {@code parent}.
	 *
	 * @throws UserError if a size is not positive
	 */
	public UNet3D(NDManager parent, int inChannels, int numClasses, int levels, int baseFilters, long seed) {
		super(3, inChannels, numClasses, checked(parent, inChannels, numClasses, levels, baseFilters));
		this.levels = levels;
		this.baseFilters = baseFilters;
		SplittableRandom random = new SplittableRandom(seed);
		// Creation order = parameter order = PyTorch's state_dict order, and also the order of random draws.
		encoder = new Conv[levels][];
		for (int i = 0; i < levels; i++) {
			int in = i == 0 ? inChannels : filters(i - 1);
			encoder[i] = new Conv[] { conv("enc." + i + ".conv1", in, filters(i), random),
					conv("enc." + i + ".conv2", filters(i), filters(i), random) };
		}
		upConvs = new Conv[levels - 1];
		for (int i = 0; i < levels - 1; i++)
			upConvs[i] = conv("up." + i + ".conv", filters(i + 1), filters(i), random);
		decoder = new Conv[levels - 1][];
		for (int i = 0; i < levels - 1; i++)
			decoder[i] = new Conv[] { conv("dec." + i + ".conv1", 2 * filters(i), filters(i), random),
					conv("dec." + i + ".conv2", filters(i), filters(i), random) };
		output = conv("out", filters(0), numClasses, random);
	}

	/** Filters at level i. */
	private int filters(int level) {
		return baseFilters << level;
	}

	/** The factor every spatial size of the input must be a multiple of: 2^(levels-1). */
	public int sizeDivisor() {
		return 1 << (levels - 1);
	}

	/** Instance norm: each patch is normalised on its own. */
	@Override
	public boolean samplesIndependentInTraining() {
		return true;
	}

	@Override
	public NDArray forward(NDArray input, boolean training) {
		checkInput(input);
		List<NDArray> skips = new ArrayList<>(levels);
		NDArray x = input;
		for (int i = 0; i < levels; i++) {
			NDArray pooled = i == 0 ? x : Ops.maxPool3d2x(x);
			x = block(encoder[i], pooled);
			if (i > 0)
				pooled.close();
			skips.add(x);
		}
		for (int i = levels - 2; i >= 0; i--) {
			NDArray below = x;
			NDArray upsampled = Ops.upsampleTrilinear2x(below);
			NDArray up = upConvs[i].convInRelu(upsampled);
			upsampled.close();
			NDArray joined = skips.get(i).concat(up, 1);
			up.close();
			x = block(decoder[i], joined);
			joined.close();
			if (i < levels - 2)
				below.close(); // a decoder output; the bottleneck goes with the skips
		}
		NDArray logits = output.apply(x);
		// Intermediate handles can go early (lower peak memory): autograd keeps its own references.
		if (levels > 1)
			x.close();
		for (NDArray skip : skips)
			skip.close();
		return logits;
	}

	private static NDArray block(Conv[] convs, NDArray x) {
		NDArray first = convs[0].convInRelu(x);
		NDArray second = convs[1].convInRelu(first);
		first.close();
		return second;
	}

	private void checkInput(NDArray input) {
		Shape s = input.getShape();
		if (s.dimension() != 5 || s.get(1) != inChannels())
			throw new IllegalArgumentException(
					"UNet3D expects N x " + inChannels() + " x D x H x W, got " + s);
		int divisor = sizeDivisor();
		String size = s.get(4) + " x " + s.get(3) + " x " + s.get(2) + " (x, y, z)";
		long deepestVoxels = 1;
		for (int axis = 2; axis < 5; axis++) {
			if (s.get(axis) % divisor != 0)
				throw new UserError("The UNet3D with " + levels + " levels needs every patch size to be a multiple of "
						+ divisor + ", but the input is " + size + ": choose a patch size divisible by " + divisor
						+ " or fewer levels");
			deepestVoxels *= s.get(axis) / divisor;
		}
		// Instance norm of a single voxel is identically 0 (PyTorch refuses it): the deepest level would be blind.
		if (deepestVoxels < 2)
			throw new UserError("The input " + size + " is too small for a UNet3D with " + levels + " levels: its deepest "
					+ "level would hold a single voxel; use a patch with at least one side of " + 2 * divisor
					+ " or fewer levels");
	}

	private Conv conv(String name, int in, int out, SplittableRandom random) {
		// PyTorch's nn.Conv3d.reset_parameters: kaiming_uniform(a=sqrt(5)) gives bound 1/sqrt(fan_in) for the
		// weight, and the bias uses the same bound.
		int fanIn = in * 27;
		double bound = 1.0 / Math.sqrt(fanIn);
		Param weight = param(name + ".weight", new Shape(out, in, 3, 3, 3), bound, random);
		Param bias = param(name + ".bias", new Shape(out), bound, random);
		return new Conv(weight, bias);
	}

	private Param param(String name, Shape shape, double bound, SplittableRandom random) {
		float[] values = new float[Math.toIntExact(shape.size())];
		for (int i = 0; i < values.length; i++)
			values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
		Param p = new Param(name, manager().create(values, shape));
		params.add(p);
		return p;
	}

	/** A 3x3x3 convolution with padding 1 and its parameters. */
	private static final class Conv {
		final Param weight;
		final Param bias;

		Conv(Param weight, Param bias) {
			this.weight = weight;
			this.bias = bias;
		}

		NDArray apply(NDArray x) {
			return Ops.conv3d(x, weight.array(), bias.array(), 1);
		}

		NDArray convInRelu(NDArray x) {
			NDArray conv = apply(x);
			NDArray normed = Ops.instanceNorm(conv);
			conv.close();
			NDArray out = Ops.relu(normed);
			normed.close();
			return out;
		}
	}

	/** {@code parent}, once the sizes are checked. */
	private static NDManager checked(NDManager parent, int inChannels, int numClasses, int levels, int baseFilters) {
		requirePositive("in_channels", inChannels);
		requirePositive("num_classes", numClasses);
		requirePositive("levels", levels);
		requirePositive("base_filters", baseFilters);
		if ((long) baseFilters << (levels - 1) > 1 << 16)
			throw new UserError("UNet3D with base_filters " + baseFilters + " and " + levels + " levels would have "
					+ ((long) baseFilters << (levels - 1)) + " filters at the deepest level: use fewer levels or filters");
		return parent;
	}

	private static void requirePositive(String key, int value) {
		if (value < 1)
			throw new UserError("UNet3D option " + key + " must be at least 1, got " + value);
	}

	@Override
	public String architecture() {
		return ARCHITECTURE;
	}

	@Override
	public Map<String, Object> config() {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("in_channels", inChannels());
		config.put("num_classes", numClasses());
		config.put("levels", levels);
		config.put("base_filters", baseFilters);
		return Collections.unmodifiableMap(config);
	}




	@Override
	public List<Param> params() {
		return Collections.unmodifiableList(params);
	}

}
