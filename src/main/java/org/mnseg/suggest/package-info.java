/**
 * "What to annotate next" after an M&amp;N training: the 3-D model and its 2-D partner predict every unlabeled volume,
 * and where they disagree (or where the 3-D model is unsure) ranks volumes and slices by how much a label there would
 * teach. {@link org.mnseg.suggest.VoxelScores} holds the per-voxel measures, {@link org.mnseg.suggest.VolumeScore} what
 * one volume gave, {@link org.mnseg.suggest.Ranking} the order and the top slices, {@link org.mnseg.suggest.SuggestionModel}
 * the two networks of a bundle applied through {@link org.mnseg.inference.Segmenter}. Front ends: {@code mn suggest}
 * (workflow.SuggestWorkflow) and Fiji's "M&amp;N Suggest Annotations".
 */
package org.mnseg.suggest;
