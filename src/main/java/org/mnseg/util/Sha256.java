package org.mnseg.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lower-case hex: the one algorithm that pins downloads, bundle entries and exported files. */
public final class Sha256 {
	private Sha256() {
	}

	/** A new digest, for data that arrives in pieces. */
	public static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java runtime has SHA-256", e);
		}
	}

	/** The hex of a digest fed so far (which resets it). */
	public static String hex(MessageDigest digest) {
		return HexFormat.of().formatHex(digest.digest());
	}

	/** The hex SHA-256 of bytes in memory. */
	public static String hex(byte[] data) {
		return HexFormat.of().formatHex(newDigest().digest(data));
	}
}
