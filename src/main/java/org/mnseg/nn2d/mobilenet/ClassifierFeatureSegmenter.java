package org.mnseg.nn2d.mobilenet;

import org.mnseg.pretrained.PretrainedModel;
import org.mnseg.pretrained.tflite.TfliteModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A pretrained network whose segmentation head reads the one tensor that fed its original classifier, at that
 * tensor's stride; everything the classifier alone used is frozen. DeepLabV3+, DeepLabV3 and MobileNetV2 differ only
 * in their file.
 */
abstract class ClassifierFeatureSegmenter extends TfliteSegmenter {
	private final int featureTensor;

	ClassifierFeatureSegmenter(String architecture, PretrainedModel weights, TfliteModel model, NDManager parent, int inChannels, int numClasses,
			InputScaling scaling, long seed) {
		super(architecture, weights, model, parent, inChannels, numClasses, scaling);
		featureTensor = classifierFeatures(graph());
		freezeAllBut(new int[] { featureTensor });
		initHead(graph().channels(featureTensor), nativeStride(graph(), featureTensor), seed);
	}

	@Override
	protected final NDArray features(NDArray rgb, boolean training) {
		return runTo(rgb, featureTensor, training);
	}
}
