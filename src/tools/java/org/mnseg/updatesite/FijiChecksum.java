package org.mnseg.updatesite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksum the Fiji updater gives a file, so that an installed file is recognised as up to date.
 * <p>
 * Plain files: SHA-1 of the path (relative to the Fiji folder, ASCII) followed by the content. Jar files: SHA-1 over
 * the entries sorted by name, each contributing its name (ASCII) then its content, where two kinds of entries are
 * filtered so that rebuilding the same code gives the same checksum: lines of {@code .properties} files that start
 * with '#' (the date Maven writes) are dropped, keeping their line end; and the manifest contributes nothing (the
 * updater's manifest filter keeps only a "Main-Class" line, compared case-insensitively against a mixed-case prefix,
 * so in effect no line).
 */
public final class FijiChecksum {
	private FijiChecksum() {}

	public static String of(String relativePath, Path file) throws IOException {
		MessageDigest sha1 = sha1();
		if (relativePath.endsWith(".jar")) {
			try (JarFile jar = new JarFile(file.toFile())) {
				List<JarEntry> entries = new ArrayList<>(Collections.list(jar.entries()));
				entries.sort((a, b) -> a.getName().compareTo(b.getName()));
				for (JarEntry e : entries) {
					sha1.update(e.getName().getBytes(StandardCharsets.US_ASCII));
					byte[] content;
					try (InputStream in = jar.getInputStream(e)) {
						content = in.readAllBytes();
					}
					if (e.getName().equals("META-INF/MANIFEST.MF")) continue;
					if (e.getName().endsWith(".properties")) content = withoutHashLines(content);
					sha1.update(content);
				}
			}
		}
		else {
			sha1.update(relativePath.getBytes(StandardCharsets.US_ASCII));
			sha1.update(Files.readAllBytes(file));
		}
		return HexFormat.of().formatHex(sha1.digest());
	}

	/**
	 * Drops comment lines as the updater's stream filter does: at the start of a line a '#' starts a skip up to and
	 * excluding the line feed; the character after the '#' is read as if at a line start (so "##" nests), and a
	 * line feed read right there ends the comment without marking a new line start.
	 */
	static byte[] withoutHashLines(byte[] in) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		Cursor c = new Cursor(in);
		for (int ch; (ch = c.read()) >= 0;) out.write(ch);
		return out.toByteArray();
	}

	private static final class Cursor {
		private final byte[] data;
		private int pos;
		private boolean atLineStart = true;

		Cursor(byte[] data) {
			this.data = data;
		}

		int read() {
			int ch = pos < data.length ? data[pos++] & 0xff : -1;
			if (atLineStart) {
				if (ch == '#') {
					do ch = read();
					while (ch != '\n' && ch != -1);
				}
				else atLineStart = false;
			}
			else if (ch == '\n') atLineStart = true;
			return ch;
		}
	}

	private static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
