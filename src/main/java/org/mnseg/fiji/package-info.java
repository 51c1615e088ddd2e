/**
 * The Fiji face of M&amp;N: two commands, "M&amp;N Co-Train" and "M&amp;N Segment", thin over
 * {@link org.mnseg.workflow.TrainWorkflow} and {@link org.mnseg.inference.Segmenter}.
 * <p>
 * Each command exists twice with one behaviour: as an ImageJ 1.x {@link ij.plugin.PlugIn} named in
 * {@code plugins.config} (menus, {@code run(...)} from macros, the macro recorder through {@link ij.gui.GenericDialog})
 * and as a SciJava {@link org.scijava.command.Command} with the same menu path, title and parameter names, so that a
 * macro line recorded by either replays on both. Both fill the same settings record and call the same runner
 * ({@link org.mnseg.fiji.SegmentRunner}, {@link org.mnseg.fiji.CoTrainRunner}). See docs/fiji.md.
 */
package org.mnseg.fiji;
