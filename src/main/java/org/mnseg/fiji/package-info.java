/**
 * The Fiji face of M&amp;N: three commands, "M&amp;N Co-Train", "M&amp;N Segment" and "M&amp;N Export to BioImage.IO", thin over the workflow layer
 * ({@link org.mnseg.workflow.TrainWorkflow}, {@link org.mnseg.inference.Segmenter} and the front-end facades
 * {@link org.mnseg.workflow.TrainOptions}, {@link org.mnseg.workflow.ModelFile}, {@link org.mnseg.workflow.DatasetWriter}) and the
 * BioImage.IO exporter ({@link org.mnseg.export.BioImageIoExporter}).
 * <p>
 * Each command's fields are declared once, in a {@link org.mnseg.fiji.CommandDescriptor} ({@code CoTrainSettings.DESCRIPTOR},
 * {@code SegmentSettings.DESCRIPTOR}, {@code ExportModelSettings.DESCRIPTOR}), and the command exists twice with one behaviour: as an ImageJ 1.x
 * {@link ij.plugin.PlugIn} named in {@code plugins.config} (menus, {@code run(...)} from macros, the macro recorder;
 * {@link org.mnseg.fiji.OptionsDialog}) and as a SciJava command with the same menu path, title and input names
 * ({@link org.mnseg.fiji.DescriptorCommand}), so that a macro line recorded by either replays on both. Both fill the
 * same settings record and call the same runner ({@link org.mnseg.fiji.SegmentRunner},
 * {@link org.mnseg.fiji.CoTrainRunner}, {@link org.mnseg.fiji.ExportRunner}). See docs/fiji.md.
 */
package org.mnseg.fiji;
