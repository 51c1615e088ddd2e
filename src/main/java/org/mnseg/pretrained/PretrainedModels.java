package org.mnseg.pretrained;

import java.util.List;
import java.util.stream.Collectors;

import org.mnseg.util.UserError;

/** The registry of pretrained models (origins and checksums as listed in the team's shared/README.md). */
public final class PretrainedModels {
	private PretrainedModels() {}

	public static final PretrainedModel DEEPLABV3PLUS_ADE20K = new PretrainedModel("deeplabv3plus-mnv2-ade20k",
			"deeplabv3plus_mnv2_ade20k32_int8.tflite",
			"https://raw.githubusercontent.com/mlcommons/mobile_models/main/v0_7/tflite/deeplabv3_mnv2_ade20k_int8.tflite",
			"3960571f5e2de1cec771a8f7a15b86f31b94cceccac8d993addbc1e29829de6a", "Apache-2.0",
			"DeepLabV3+ MobileNetV2, ADE20K (31 classes + other), int8 weights (MLCommons mobile_models)");

	public static final PretrainedModel DEEPLABV3_PASCAL = new PretrainedModel("deeplabv3-mnv2-pascal",
			"deeplabv3_mnv2dm05_pascal_float.tflite",
			"https://raw.githubusercontent.com/tensorflow/tflite-support/master/tensorflow_lite_support/cc/test/testdata/task/vision/deeplabv3.tflite",
			"9711334db2b01d5894feb8ed0f5cb3e97d125b8d229f8d8692f625801818f5ef", "Apache-2.0",
			"DeepLabV3 MobileNetV2 (width 0.5), PASCAL VOC 21 classes, float32 (TensorFlow Lite support test data)");

	public static final PretrainedModel MOBILENETV2_IMAGENET = new PretrainedModel("mnv2-imagenet",
			"mobilenet_v2_1.0_224_imagenet_int8.tflite",
			"https://raw.githubusercontent.com/google-coral/test_data/master/tf2_mobilenet_v2_1.0_224_ptq.tflite",
			"5d3137241276e79c86d14a74fe43581398ae0e815191d3dba45495b810840e8c", "Apache-2.0",
			"MobileNetV2 1.0 224, ImageNet classifier (1001 classes), int8 weights (Coral test data)");

	public static final List<PretrainedModel> ALL = List.of(DEEPLABV3PLUS_ADE20K, DEEPLABV3_PASCAL, MOBILENETV2_IMAGENET);

	/** The model with this id; a UserError listing the known ids otherwise. */
	public static PretrainedModel byId(String id) {
		for (PretrainedModel m : ALL) if (m.id().equals(id)) return m;
		throw new UserError("Unknown pretrained model '" + id + "': use one of "
				+ ALL.stream().map(PretrainedModel::id).collect(Collectors.joining(", ")));
	}
}
