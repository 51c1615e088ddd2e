package org.mnseg.nn2d.mobilenet;

import org.mnseg.pretrained.PretrainedModels;
import org.mnseg.pretrained.tflite.TfliteModel;

import ai.djl.ndarray.NDManager;

/**
 * DeepLabV3+ with a MobileNetV2 backbone pretrained on ADE20K: the head reads the decoder's 256 features at stride 4 (the 32-class classifier is dropped). The project's default 2-D model.
 */
public final class DeepLabV3Plus extends ClassifierFeatureSegmenter {
	public static final String ARCHITECTURE = "deeplabv3plus-mnv2-ade20k";

	/** @param model the file of {@link PretrainedModels#DEEPLABV3PLUS_ADE20K} */
	public DeepLabV3Plus(TfliteModel model, NDManager parent, int inChannels, int numClasses, InputScaling scaling, long seed) {
		super(ARCHITECTURE, PretrainedModels.DEEPLABV3PLUS_ADE20K, model, parent, inChannels, numClasses, scaling, seed);
	}
}
