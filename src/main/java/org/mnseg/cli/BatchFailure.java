package org.mnseg.cli;

/**
 * A batch that ran but left volumes without output (failed, or missing in a report): exit code 3, so that a job
 * array marks the task failed and a script can tell it from a mistake in the command (2).
 */
final class BatchFailure extends RuntimeException {
	private static final long serialVersionUID = 1L;
	static final int EXIT_CODE = 3;

	BatchFailure(String message) {
		super(message);
	}
}
