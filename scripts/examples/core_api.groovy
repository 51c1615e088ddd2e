// M&N's core from a Groovy script, without Fiji's commands: train on a folder, then segment an ImgLib2 image.
// Needs the plugin jar and its dependencies on the class path (in Fiji: Script Editor, language Groovy).
// Variables: folder (images/ + labels/ [+ unlabeled/]), runDir (where the model goes), image (an ImgLib2
// RandomAccessibleInterval of a real type, x-y-z), epochs.

import java.nio.file.Path
import org.mnseg.data.Geometry
import org.mnseg.data.Volume
import org.mnseg.train.RunListener
import org.mnseg.workflow.ModelFile
import org.mnseg.workflow.TrainWorkflow
import ai.djl.Device

// 1. train: every labeled volume of the folder (-1), the cpu preset, a few epochs; plan.json and model.mnmodel land in runDir
def request = new TrainWorkflow.Request(folder as Path, -1, "labeled-only", "cpu", ["epochs": "$epochs".toString()],
	runDir as Path, false, false, Device.cpu())
def result = TrainWorkflow.run(request, RunListener.NONE, { false })

// 2. segment an ImgLib2 image with the model just saved (unit voxel spacing; pass a Geometry to keep yours)
def segmenter = ModelFile.open(result.bundle())
try {
	labels = segmenter.segment(Volume.copyOf(image, Geometry.unit())).labels().image()   // an ImgLib2 ArrayImg of class indices
} finally {
	segmenter.close()
}
println "M&N core example done: " + result.bundle()
