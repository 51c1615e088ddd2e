/**
 * Segmenting a cohort on a cluster engine that already exists (SLURM job arrays, Apache Spark), without a scheduler of
 * our own: {@link org.mnseg.batch.ShardPlan} splits a list of volumes into balanced, deterministic parts, and
 * {@link org.mnseg.batch.BatchSegmentation} segments a part so that it can be killed and re-run at any time (finished
 * volumes are skipped, failures recorded) and reports what is still missing.
 */
package org.mnseg.batch;
