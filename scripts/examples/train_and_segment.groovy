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
// Both are DynamicCommands (their fields and choices come from the installed version), so they are run through
// the ModuleService, whose Future waits for them; CommandService.run returns no Future for dynamic commands.

import org.mnseg.fiji.CoTrainCommand
import org.mnseg.fiji.SegmentImageCommand

def run = new File(out, "run")
modules.run(command.getCommand(CoTrainCommand), false,
	"labeled", "folder", "dataset", dataset, "subset", "all",
	"method", "labeled-only", "architecture", "unet3d", "preset", "cpu", "epochs", epochs,
	"output", run, "resume", false, "options", options).get()

def model = new File(run, "model.mnmodel")
if (!model.isFile()) throw new IllegalStateException("Training did not produce " + model)

// every volume of the folder: label files as 'mn segment' writes them
modules.run(command.getCommand(SegmentImageCommand), false,
	"model", model, "input", "folder", "folder", images, "output", new File(out, "labels"),
	"probability", false, "rois", false).get()
println "M&N Groovy example done: " + out
