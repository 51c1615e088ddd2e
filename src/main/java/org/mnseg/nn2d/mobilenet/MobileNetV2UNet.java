package org.mnseg.nn2d.mobilenet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.mnseg.nn.LinearResize;
import org.mnseg.nn.Ops;
import org.mnseg.nn.Param;
import org.mnseg.nn2d.Resize2d;
import org.mnseg.pretrained.PretrainedModels;
import org.mnseg.pretrained.tflite.Activation;
import org.mnseg.pretrained.tflite.BuiltinOp;
import org.mnseg.pretrained.tflite.OperatorInfo;
import org.mnseg.pretrained.tflite.TfliteModel;
import org.mnseg.util.UserError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The paper's "pretrained encoder only" case: MobileNetV2 pretrained on ImageNet as the encoder, a randomly
 * initialised UNet-style decoder, and the {@link org.mnseg.nn2d.StrideHead} at stride 2.
 *
 * <p>Encoder features: the last block output (projection or residual add) at strides 2, 4, 8 and 16 (16, 24, 32 and
 * 96 channels) and the last convolution's 1280 channels at stride 32, as segmentation_models' MobileNetV2 encoder
 * uses. Decoder level i (strides 16, 8, 4, 2 with 256, 128, 64, 32 filters): bilinear 2x upsampling (half-pixel
 * centres), concatenation with the skip, then twice (3x3 conv, instance norm, ReLU). Its convolutions are initialised
 * like PyTorch's Conv2d (uniform within 1/sqrt(fan_in)) from the seed; parameters {@code decoder.<i>.conv1.weight}, ...
 */
public final class MobileNetV2UNet extends TfliteSegmenter {
	public static final String ARCHITECTURE = "mnv2-imagenet-unet";
	private static final int[] FILTERS = { 256, 128, 64, 32 };

	private final int[] skips = new int[4];
	private final int bottom;
	private final Param[][] convs = new Param[4][4];

	public MobileNetV2UNet(TfliteModel model, NDManager parent, int inChannels, int numClasses, InputScaling scaling, long seed) {
		super(ARCHITECTURE, PretrainedModels.MOBILENETV2_IMAGENET, model, parent, inChannels, numClasses, scaling);
		TfliteGraph g = graph();
		bottom = classifierFeatures(g);
		int[] strides = { 16, 8, 4, 2 };
		for (int i = 0; i < 4; i++) skips[i] = lastBlockOutput(g, strides[i]);
		freezeAllBut(new int[] { bottom, skips[0], skips[1], skips[2], skips[3] });
		SplittableRandom random = new SplittableRandom(seed);
		List<Param> created = new ArrayList<>();
		int below = g.channels(bottom);
		for (int i = 0; i < 4; i++) {
			int in = below + g.channels(skips[i]);
			convs[i][0] = conv("decoder." + i + ".conv1.weight", FILTERS[i], in, random, created);
			convs[i][1] = bias("decoder." + i + ".conv1.bias", FILTERS[i], in, random, created);
			convs[i][2] = conv("decoder." + i + ".conv2.weight", FILTERS[i], FILTERS[i], random, created);
			convs[i][3] = bias("decoder." + i + ".conv2.bias", FILTERS[i], FILTERS[i], random, created);
			below = FILTERS[i];
		}
		addParams(created);
		initHead(FILTERS[3], 2, seed);
	}

	/** The last tensor at the given native stride produced without activation (a block's linear output). */
	private static int lastBlockOutput(TfliteGraph g, int stride) {
		int found = -1;
		for (OperatorInfo op : g.model().operators()) {
			if (op.op() == BuiltinOp.MEAN || op.op() == BuiltinOp.AVERAGE_POOL_2D) break;
			boolean linear = (op.op() == BuiltinOp.CONV_2D || op.op() == BuiltinOp.ADD) && op.options().activation == Activation.NONE;
			if (linear && g.nativeSize(op.output(0)) != null && nativeStride(g, op.output(0), stride)) found = op.output(0);
		}
		if (found < 0) throw new UserError(g.model().file() + " has no block output at stride " + stride + ": it is not a MobileNetV2");
		return found;
	}

	private static boolean nativeStride(TfliteGraph g, int tensor, int stride) {
		int in = g.nativeSize(g.inputTensor())[0];
		return g.nativeSize(tensor)[0] == (in + stride - 1) / stride;
	}

	private NDManager paramManager() {
		return manager();
	}

	private Param conv(String name, int out, int in, SplittableRandom random, List<Param> created) {
		float[] w = uniform(out * in * 9, in * 9, random);
		Param p = new Param(name, paramManager().create(w, new Shape(out, in, 3, 3)));
		created.add(p);
		return p;
	}

	private Param bias(String name, int out, int in, SplittableRandom random, List<Param> created) {
		Param p = new Param(name, paramManager().create(uniform(out, in * 9, random)));
		created.add(p);
		return p;
	}

	private static float[] uniform(int n, int fanIn, SplittableRandom random) {
		double bound = 1 / Math.sqrt(fanIn);
		float[] v = new float[n];
		for (int i = 0; i < n; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
		return v;
	}

	/** The UNet decoder is newly initialised: fine-tuning trains it in full, like the head. */
	@Override
	public boolean hasPretrainedDecoder() {
		return false;
	}

	@Override
	public int sizeDivisor() {
		return 32;
	}

	@Override
	protected NDArray features(NDArray rgb, boolean training) {
		int[] wanted = { bottom, skips[0], skips[1], skips[2], skips[3] };
		Map<Integer, NDArray> enc = graph().run(rgb, wanted, training);
		NDArray x = enc.get(bottom);
		for (int i = 0; i < 4; i++) {
			NDArray skip = enc.get(skips[i]);
			Shape s = skip.getShape();
			NDArray up = Resize2d.bilinear(x, (int) s.get(2), (int) s.get(3), LinearResize.Mode.HALF_PIXEL);
			x.close();
			NDArray joined = NDArrays.concat(new NDList(up, skip), 1);
			up.close();
			skip.close();
			NDArray a = convNormRelu(joined, convs[i][0], convs[i][1]);
			joined.close();
			x = convNormRelu(a, convs[i][2], convs[i][3]);
			a.close();
		}
		return x;
	}

	private static NDArray convNormRelu(NDArray x, Param w, Param b) {
		NDArray c = Ops2d.conv2d(x, w.array(), b.array(), 1, 1, 1, true);
		NDArray n = Ops.instanceNorm(c);
		c.close();
		NDArray r = Ops.relu(n);
		n.close();
		return r;
	}
}
