package org.mnseg.nn2d.mobilenet;

import org.mnseg.pretrained.PretrainedModels;
import org.mnseg.pretrained.tflite.TfliteModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * DeepLabV3 with a width-0.5 MobileNetV2 backbone pretrained on PASCAL VOC (float weights): the head reads the 256 ASPP features at stride 8 (the 21-class classifier is dropped).
 */
public final class DeepLabV3 extends TfliteSegmenter {
	public static final String ARCHITECTURE = "deeplabv3-mnv2-pascal";

	private final int featureTensor;

	/** @param model the file of {@link PretrainedModels#DEEPLABV3_PASCAL} */
	public DeepLabV3(TfliteModel model, NDManager parent, int inChannels, int numClasses, InputScaling scaling, long seed) {
		super(ARCHITECTURE, PretrainedModels.DEEPLABV3_PASCAL, model, parent, inChannels, numClasses, scaling);
		featureTensor = classifierFeatures(graph());
		freezeAllBut(new int[] { featureTensor });
		initHead(graph().channels(featureTensor), nativeStride(graph(), featureTensor), seed);
	}

	@Override
	protected NDArray features(NDArray rgb, boolean training) {
		return runTo(rgb, featureTensor, training);
	}
}
