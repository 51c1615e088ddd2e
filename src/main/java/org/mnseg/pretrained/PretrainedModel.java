package org.mnseg.pretrained;

/**
 * A published pretrained model this project can use: where the public copy lives, what it must hash to, and its
 * licence.
 *
 * @param id short identifier used in configurations ({@code weights} option)
 * @param fileName the name the file has in the cache folder and in {@code ../shared/models}
 * @param url the public origin
 * @param sha256 lower-case hex SHA-256 of the file, or null where none could be looked up (see {@link WeightsSource})
 */
public record PretrainedModel(String id, String fileName, String url, String sha256, String licence, String description) {
	public PretrainedModel {
		if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException(id + ": not a lower-case hex SHA-256: " + sha256);
	}

	/** Whether the registry knows the file's SHA-256 (else downloads are checked against what the origin announces). */
	public boolean pinned() {
		return sha256 != null;
	}
}
