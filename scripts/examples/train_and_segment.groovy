#@ CommandService command
#@ ModuleService modules
#@ File (label = "Data set folder (images/ + labels/)", style = "directory") dataset
#@ File (label = "Images to segment", style = "directory") images
#@ File (label = "Results folder", style = "directory") out
#@ Integer (label = "Epochs (0: the preset's)", value = 0) epochs
#@ String (label = "More training options", value = "") options

// M&N from a Groovy script in Fiji (Script Editor, language Groovy), headless too:
//   ImageJ --headless --run train_and_segment.groovy "dataset='/data/set',images='/data/new',out='/results',epochs=0,options=''"
// It runs the two SciJava commands with the same parameter names as the dialogs and the macro keys.
// Co-Train is a DynamicCommand (its choices come from the installed version), so it is run through the
// ModuleService, whose Future waits for it; CommandService.run returns no Future for dynamic commands.

import org.mnseg.fiji.CoTrainCommand
import org.mnseg.fiji.SegmentCommand

def run = new File(out, "run")
modules.run(command.getCommand(CoTrainCommand), false,
	"labeled", "folder", "dataset", dataset, "subset", "all",
	"method", "labeled-only", "architecture", "unet3d", "preset", "cpu", "epochs", epochs,
	"output", run, "resume", false, "options", options).get()

def model = new File(run, "model.mnmodel")
if (!model.isFile()) throw new IllegalStateException("Training did not produce " + model)

// every volume of the folder: label files as 'mn segment' writes them
command.run(SegmentCommand, false,
	"model", model, "input", "folder", "folder", images, "output", new File(out, "labels"),
	"probability", false, "rois", false).get()
println "M&N Groovy example done: " + out
