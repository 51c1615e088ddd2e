package org.mnseg.nn2d.mobilenet;

import org.mnseg.pretrained.PretrainedModels;
import org.mnseg.pretrained.tflite.TfliteModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * MobileNetV2 1.0 pretrained on ImageNet: the head reads the 1280 features of the last convolution at stride 32 (the 1001-class classifier is dropped). Mostly useful for its classifier ({@link #classifierLogits}); {@link MobileNetV2UNet} is the segmenter built on it.
 */
public final class MobileNetV2 extends TfliteSegmenter {
	public static final String ARCHITECTURE = "mnv2-imagenet";

	private final int featureTensor;

	/** @param model the file of {@link PretrainedModels#MOBILENETV2_IMAGENET} */
	public MobileNetV2(TfliteModel model, NDManager parent, int inChannels, int numClasses, InputScaling scaling, long seed) {
		super(ARCHITECTURE, PretrainedModels.MOBILENETV2_IMAGENET, model, parent, inChannels, numClasses, scaling);
		featureTensor = classifierFeatures(graph());
		freezeAllBut(new int[] { featureTensor });
		initHead(graph().channels(featureTensor), nativeStride(graph(), featureTensor), seed);
	}

	@Override
	protected NDArray features(NDArray rgb, boolean training) {
		return runTo(rgb, featureTensor, training);
	}
}
