package org.mnseg.batch;

import org.mnseg.util.UserError;

/**
 * One part of a batch, "I/N": the I-th (from 0) of N parts, as SLURM job arrays number their tasks
 * ({@code $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT} with {@code --array=0-(N-1)}).
 */
public record Shard(int index, int count) {
	public Shard {
		if (count < 1 || index < 0 || index >= count) throw new IllegalArgumentException(index + "/" + count);
	}

	/** Parses "I/N"; anything else is a one-line UserError saying what is expected. */
	public static Shard parse(String text) {
		String[] parts = text == null ? new String[0] : text.strip().split("/", -1);
		try {
			if (parts.length == 2) {
				int i = Integer.parseInt(parts[0].strip()), n = Integer.parseInt(parts[1].strip());
				if (n >= 1 && i >= 0 && i < n) return new Shard(i, n);
			}
		}
		catch (NumberFormatException e) {
			// reported below
		}
		throw new UserError("--shard expects I/N with 0 <= I < N (part I of N, counted from 0, e.g. "
			+ "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with --array=0-(N-1)), got '" + text + "'.");
	}

	@Override
	public String toString() {
		return index + "/" + count;
	}
}
