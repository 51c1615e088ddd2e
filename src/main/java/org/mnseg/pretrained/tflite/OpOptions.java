package org.mnseg.pretrained.tflite;

/**
 * The builtin options of one operator, flattened into one value object. Which fields mean something depends on the
 * operator; the others keep their defaults. Field ids follow the public TFLite schema (schema.fbs):
 * <ul>
 * <li>Conv2DOptions: padding 0, stride_w 1, stride_h 2, fused_activation_function 3, dilation_w_factor 4,
 * dilation_h_factor 5</li>
 * <li>DepthwiseConv2DOptions: padding 0, stride_w 1, stride_h 2, depth_multiplier 3, fused_activation_function 4,
 * dilation_w_factor 5, dilation_h_factor 6</li>
 * <li>Pool2DOptions: padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4, fused_activation_function 5</li>
 * <li>AddOptions / MulOptions: fused_activation_function 0</li>
 * <li>ConcatenationOptions: axis 0, fused_activation_function 1</li>
 * <li>ResizeBilinearOptions: align_corners 2, half_pixel_centers 3 (0 and 1 are deprecated sizes)</li>
 * <li>ReducerOptions: keep_dims 0; SoftmaxOptions: beta 0</li>
 * </ul>
 */
public final class OpOptions {
	public Padding padding = Padding.SAME;
	public int strideH = 1;
	public int strideW = 1;
	public int dilationH = 1;
	public int dilationW = 1;
	public int depthMultiplier = 1;
	public int filterH;
	public int filterW;
	public Activation activation = Activation.NONE;
	public int axis;
	public boolean alignCorners;
	public boolean halfPixelCenters;
	public boolean keepDims;
	public float beta = 1f;

	static OpOptions read(BuiltinOp op, FlatTable t) {
		OpOptions o = new OpOptions();
		if (t == null) return o;
		switch (op) {
			case CONV_2D:
				o.padding = Padding.of(t.byteField(0, 0));
				o.strideW = t.intField(1, 1);
				o.strideH = t.intField(2, 1);
				o.activation = Activation.of(t.byteField(3, 0));
				o.dilationW = t.intField(4, 1);
				o.dilationH = t.intField(5, 1);
				break;
			case DEPTHWISE_CONV_2D:
				o.padding = Padding.of(t.byteField(0, 0));
				o.strideW = t.intField(1, 1);
				o.strideH = t.intField(2, 1);
				o.depthMultiplier = t.intField(3, 1);
				o.activation = Activation.of(t.byteField(4, 0));
				o.dilationW = t.intField(5, 1);
				o.dilationH = t.intField(6, 1);
				break;
			case AVERAGE_POOL_2D:
			case MAX_POOL_2D:
				o.padding = Padding.of(t.byteField(0, 0));
				o.strideW = t.intField(1, 1);
				o.strideH = t.intField(2, 1);
				o.filterW = t.intField(3, 0);
				o.filterH = t.intField(4, 0);
				o.activation = Activation.of(t.byteField(5, 0));
				break;
			case ADD:
			case MUL:
				o.activation = Activation.of(t.byteField(0, 0));
				break;
			case CONCATENATION:
				o.axis = t.intField(0, 0);
				o.activation = Activation.of(t.byteField(1, 0));
				break;
			case RESIZE_BILINEAR:
				o.alignCorners = t.boolField(2);
				o.halfPixelCenters = t.boolField(3);
				break;
			case MEAN:
				o.keepDims = t.boolField(0);
				break;
			case SOFTMAX:
				o.beta = t.floatField(0, 1f);
				break;
			default:
				break;
		}
		return o;
	}
}
