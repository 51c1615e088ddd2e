package org.mnseg.nn2d.mobilenet;

import org.mnseg.pretrained.PretrainedModels;
import org.mnseg.pretrained.tflite.TfliteModel;

import ai.djl.ndarray.NDManager;

/**
 * DeepLabV3 with a width-0.5 MobileNetV2 backbone pretrained on PASCAL VOC (float weights): the head reads the 256 ASPP features at stride 8 (the 21-class classifier is dropped).
 */
public final class DeepLabV3 extends ClassifierFeatureSegmenter {
	public static final String ARCHITECTURE = "deeplabv3-mnv2-pascal";

	/** @param model the file of {@link PretrainedModels#DEEPLABV3_PASCAL} */
	public DeepLabV3(TfliteModel model, NDManager parent, int inChannels, int numClasses, InputScaling scaling, long seed) {
		super(ARCHITECTURE, PretrainedModels.DEEPLABV3_PASCAL, model, parent, inChannels, numClasses, scaling, seed);
	}
}
