package org.mnseg.pretrained;

/**
 * A published pretrained model this project can use: where the public copy lives, what it must hash to, and its
 * licence.
 *
 * @param id short identifier used in configurations ({@code weights} option)
 * @param fileName the name the file has in the cache folder and in {@code ../shared/models}
 * @param url the public origin
 * @param sha256 lower-case hex SHA-256 of the file
 */
public record PretrainedModel(String id, String fileName, String url, String sha256, String licence, String description) {
}
