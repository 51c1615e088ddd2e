package org.mnseg.nn2d.mobilenet;

import org.mnseg.pretrained.PretrainedModels;
import org.mnseg.pretrained.tflite.TfliteModel;

import ai.djl.ndarray.NDManager;

/**
 * MobileNetV2 1.0 pretrained on ImageNet: the head reads the 1280 features of the last convolution at stride 32 (the 1001-class classifier is dropped). Mostly useful for its classifier ({@link #classifierLogits}); {@link MobileNetV2UNet} is the segmenter built on it.
 */
public final class MobileNetV2 extends ClassifierFeatureSegmenter {
	public static final String ARCHITECTURE = "mnv2-imagenet";

	/** @param model the file of {@link PretrainedModels#MOBILENETV2_IMAGENET} */
	public MobileNetV2(TfliteModel model, NDManager parent, int inChannels, int numClasses, InputScaling scaling, long seed) {
		super(ARCHITECTURE, PretrainedModels.MOBILENETV2_IMAGENET, model, parent, inChannels, numClasses, scaling, seed);
	}
}
