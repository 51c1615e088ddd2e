package org.mnseg.train;

import java.util.List;

import org.mnseg.data.Sample;

/**
 * Where a co-training batch's unlabeled patches come from and what labels them.
 *
 * @param pool the unlabeled volumes (with their fixed masks as labels when {@code teacher} is null)
 * @param foregroundMaps per volume, where the foreground is (foreground-biased crops); null: from the pool's labels
 * @param teacher the model whose soft predictions label each patch; null: the pool's own labels
 * @param perStep b_u of each step of the epoch
 */
record UnlabeledBatches(List<Sample> pool, List<byte[]> foregroundMaps, ModelTrainer teacher, int[] perStep) {}
