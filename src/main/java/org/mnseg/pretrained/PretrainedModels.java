package org.mnseg.pretrained;

import java.util.List;
import java.util.stream.Collectors;

import org.mnseg.util.UserError;

/**
 * The registry of pretrained models: the TFLite graphs (origins and checksums as listed in the team's
 * shared/README.md) and the Hugging Face SegFormer checkpoints. Every Hugging Face URL names a revision (a commit, or
 * the pull-request ref where {@code model.safetensors} exists only in SFconvertbot's conversion PR), so the file
 * cannot change under a tag; the SHA-256 is pinned where it was read from the file's Hugging Face page, and null
 * (checked against the hash Hugging Face announces at download, see {@link WeightsSource}) where it was not.
 * docs/pretrained-weights.md lists the source page of every pinned value.
 */
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

	/** The TFLite graphs of the MobileNetV2 networks (small; {@code mn models fetch} gets them all). */
	public static final List<PretrainedModel> TFLITE = List.of(DEEPLABV3PLUS_ADE20K, DEEPLABV3_PASCAL, MOBILENETV2_IMAGENET);

	private static final String SEGFORMER_LICENCE = "NVIDIA Source Code License for SegFormer, non-commercial use; see the model card";

	/** A Hugging Face {@code model.safetensors} at a fixed revision; {@code sha256} null where it is not pinned. */
	private static PretrainedModel huggingFace(String repo, String revision, String sha256, String description) {
		String id = repo.substring(repo.indexOf('/') + 1);
		return new PretrainedModel(id, id + ".safetensors", WeightsSource.HUGGING_FACE + repo + "/resolve/" + revision + "/model.safetensors", sha256,
			SEGFORMER_LICENCE, description);
	}

	/** SegFormer B0..B5 fine-tuned on ADE20K (150 classes), in size order: the default start of {@code segformer-bN}. */
	public static final List<PretrainedModel> SEGFORMER_ADE20K = List.of(
		huggingFace("nvidia/segformer-b0-finetuned-ade-512-512", "refs%2Fpr%2F5", null, "SegFormer-B0, ADE20K 512x512 (150 classes)"),
		huggingFace("nvidia/segformer-b1-finetuned-ade-512-512", "8b74291cb371abe2a2860015ded13f5b2fa6dff5", null,
			"SegFormer-B1, ADE20K 512x512 (150 classes)"),
		huggingFace("nvidia/segformer-b2-finetuned-ade-512-512", "4585665b1bf59b90b831d5145d3e25d6e0743d03", null,
			"SegFormer-B2, ADE20K 512x512 (150 classes)"),
		huggingFace("nvidia/segformer-b3-finetuned-ade-512-512", "d49ce4e74ab8bbcd9e7886e52d716add0c8f5136", null,
			"SegFormer-B3, ADE20K 512x512 (150 classes)"),
		huggingFace("nvidia/segformer-b4-finetuned-ade-512-512", "refs%2Fpr%2F3", null, "SegFormer-B4, ADE20K 512x512 (150 classes)"),
		huggingFace("nvidia/segformer-b5-finetuned-ade-640-640", "refs%2Fpr%2F3", null, "SegFormer-B5, ADE20K 640x640 (150 classes)"));

	/** The MiT-B0..B5 encoders pretrained on ImageNet-1k, in size order (the decoder starts from its initialisation). */
	public static final List<PretrainedModel> MIT_IMAGENET = List.of(
		huggingFace("nvidia/mit-b0", "25ce79d97e6d9d509ed12e17cb2eb89b0a83a2dc", null, "MiT-B0 encoder, ImageNet-1k"),
		huggingFace("nvidia/mit-b1", "44575a0572f5374ed1e5b4e46ec8276222f6ffe8", "4c19537dff32bbaa876174c371759ac1046c980bbf8096273bb03261429bdce1",
			"MiT-B1 encoder, ImageNet-1k"),
		// the revision holding model.safetensors could not be looked up: main is tried, and the download is refused
		// unless Hugging Face announces the file's SHA-256
		huggingFace("nvidia/mit-b2", "main", null, "MiT-B2 encoder, ImageNet-1k (revision not pinned)"),
		huggingFace("nvidia/mit-b3", "refs%2Fpr%2F2", "8de18cbe1efd929b0caa6b54edb92a4524e10e4d6f9468645933af15f5b2923e", "MiT-B3 encoder, ImageNet-1k"),
		huggingFace("nvidia/mit-b4", "8b08776183e7059b0a27a2dc186d4db5d89fea1a", null, "MiT-B4 encoder, ImageNet-1k"),
		huggingFace("nvidia/mit-b5", "8c15ac959fdc3130572f9320d6955cef46046a72", "ce3ad22d97c4352b2f28a5a732f547de19b9a03a8be2e769e12ff07c34febec0",
			"MiT-B5 encoder, ImageNet-1k"));

	public static final List<PretrainedModel> ALL = java.util.stream.Stream.of(TFLITE, SEGFORMER_ADE20K, MIT_IMAGENET).flatMap(List::stream).toList();

	/** The model with this id; a UserError listing the known ids otherwise. */
	public static PretrainedModel byId(String id) {
		for (PretrainedModel m : ALL) if (m.id().equals(id)) return m;
		throw new UserError("Unknown pretrained model '" + id + "': use one of "
				+ ALL.stream().map(PretrainedModel::id).collect(Collectors.joining(", ")));
	}
}
