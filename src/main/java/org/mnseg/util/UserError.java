package org.mnseg.util;

/**
 * A problem with the user's input (file, option, data set) rather than a bug. Its message names what was wrong
 * and what to do; command line and Fiji layers show the message alone, without a stack trace.
 */
public class UserError extends RuntimeException {
	private static final long serialVersionUID = 1L;

	public UserError(String message) {
		super(message);
	}

	public UserError(String message, Throwable cause) {
		super(message, cause);
	}
}
