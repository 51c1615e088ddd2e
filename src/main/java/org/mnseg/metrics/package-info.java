/**
 * Segmentation metrics as the method notes define them (docs/method.md, "Metrics"): Dice, Jaccard, HD95, ASD
 * (medpy) and ASSD per foreground class, in voxels and millimetres.
 * <p>
 * Entry points: {@link org.mnseg.metrics.Evaluation} for one case (label volumes in, {@link
 * org.mnseg.metrics.CaseResult} out) and {@link org.mnseg.metrics.EvaluationReport} to summarise cases as JSON or
 * Markdown. Building blocks: {@link org.mnseg.metrics.Surface} (6-neighbour surface), {@link
 * org.mnseg.metrics.DistanceTransform} (exact anisotropic Euclidean distance transform, linear time), {@link
 * org.mnseg.metrics.SurfaceDistances} and {@link org.mnseg.metrics.SegmentationMetrics} (one binary pair, with the
 * empty-mask policy). Pure computation: no file I/O, no deep-learning engine.
 */
package org.mnseg.metrics;
