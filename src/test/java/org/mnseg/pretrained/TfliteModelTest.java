package org.mnseg.pretrained;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;
import org.mnseg.pretrained.tflite.BuiltinOp;
import org.mnseg.pretrained.tflite.OperatorInfo;
import org.mnseg.pretrained.tflite.TensorInfo;
import org.mnseg.pretrained.tflite.TfliteModel;
import org.mnseg.testutil.SharedData;
import org.mnseg.util.UserError;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The .tflite reader against the op graphs and float weights someone else converted from the same files: same
 * operators in the same order with the same options, and the same dequantised weights.
 */
public class TfliteModelTest {

	private static final String[][] MODELS = {
			{ "deeplabv3plus_mnv2_ade20k32_int8.tflite", "deeplabv3plus_mnv2_ade20k32" },
			{ "deeplabv3_mnv2dm05_pascal_float.tflite", "deeplabv3_mnv2dm05_pascal_float" },
			{ "mobilenet_v2_1.0_224_imagenet_int8.tflite", "mobilenet_v2_1.0_224_imagenet" } };

	@Test
	public void operatorsOptionsAndWeightsMatchTheIndependentConversion() throws IOException {
		Path dir = SharedData.require("models");
		for (String[] m : MODELS) {
			TfliteModel model = TfliteModel.read(dir.resolve(m[0]));
			JsonObject graph;
			try (Reader r = Files.newBufferedReader(dir.resolve(m[1] + ".graph.json"))) {
				graph = JsonParser.parseReader(r).getAsJsonObject();
			}
			SafetensorsFile weights = SafetensorsFile.read(dir.resolve(m[1] + ".safetensors"));
			JsonArray ops = graph.getAsJsonArray("ops");
			assertEquals(m[0] + " operator count", ops.size(), model.operators().size());
			int checkedWeights = 0;
			for (int i = 0; i < ops.size(); i++) {
				JsonObject ref = ops.get(i).getAsJsonObject();
				OperatorInfo op = model.operators().get(i);
				String what = m[0] + " op " + i;
				assertEquals(what, ref.get("op").getAsString(), op.op().name());
				if (op.op() == BuiltinOp.CONV_2D || op.op() == BuiltinOp.DEPTHWISE_CONV_2D) {
					assertEquals(what + " stride", ref.get("stride").getAsInt(), op.options().strideH);
					assertEquals(what + " dilation", ref.get("dilation").getAsInt(), op.options().dilationH);
					assertEquals(what + " padding", ref.get("padding").getAsString(), op.options().padding.name());
					String act = ref.get("act").getAsString();
					assertEquals(what + " activation", act.equals("none") ? "NONE" : act.toUpperCase(), op.options().activation.name());
					checkedWeights += compareWeights(model, op, weights, ref.getAsJsonArray("params"), what);
				}
				if (op.op() == BuiltinOp.RESIZE_BILINEAR) {
					assertEquals(what, ref.get("align_corners").getAsBoolean(), op.options().alignCorners);
					assertEquals(what, ref.get("half_pixel_centers").getAsBoolean(), op.options().halfPixelCenters);
				}
				TensorInfo out = model.tensor(op.output(0));
				JsonArray shape = ref.getAsJsonArray("out_shape_nhwc");
				for (int a = 0; a < shape.size(); a++) assertEquals(what + " shape", shape.get(a).getAsInt(), out.dim(a));
			}
			assertTrue(m[0] + ": conv layers checked: " + checkedWeights, checkedWeights >= 50);
		}
	}

	/** TFLite stores conv weights OHWI and depthwise weights 1HWC; the conversion stores OIHW and C1HW. */
	private static int compareWeights(TfliteModel model, OperatorInfo op, SafetensorsFile weights, JsonArray names, String what) {
		float[] w = model.floats(op.input(1));
		int[] s = model.tensor(op.input(1)).shape();
		float[] ref = weights.floats(names.get(0).getAsString());
		boolean depthwise = op.op() == BuiltinOp.DEPTHWISE_CONV_2D;
		int o = depthwise ? s[3] : s[0];
		int kh = s[1];
		int kw = s[2];
		int in = depthwise ? 1 : s[3];
		double scale = 0;
		for (float v : ref) scale = Math.max(scale, Math.abs(v));
		for (int oc = 0; oc < o; oc++)
			for (int ic = 0; ic < in; ic++)
				for (int y = 0; y < kh; y++)
					for (int x = 0; x < kw; x++) {
						float mine = depthwise ? w[(y * kw + x) * o + oc] : w[((oc * kh + y) * kw + x) * in + ic];
						float theirs = ref[((oc * in + ic) * kh + y) * kw + x];
						if (Math.abs(mine - theirs) > 1e-6 * scale + 1e-9) fail(what + " weight " + oc + "," + ic + "," + y + "," + x + ": " + mine + " vs " + theirs);
					}
		float[] b = model.floats(op.input(2));
		float[] refB = weights.floats(names.get(1).getAsString());
		assertEquals(what + " bias size", refB.length, b.length);
		for (int i = 0; i < b.length; i++) assertEquals(what + " bias " + i, refB[i], b[i], 1e-5 * Math.max(1, Math.abs(refB[i])));
		return 1;
	}

	@Test
	public void aFileThatIsNotTfliteIsAUserError() throws IOException {
		Path f = Files.createTempFile("not-a-model", ".tflite");
		try {
			Files.write(f, "hello, this is text and not a flatbuffer".getBytes());
			TfliteModel.read(f);
			fail("expected a UserError");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().contains(f.toString()) && e.getMessage().contains("TFL3"));
		} finally {
			Files.delete(f);
		}
	}
}
