package org.mnseg.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The file formats {@link VolumeIO} knows, recognised by file-name extension (case-insensitive). */
enum VolumeFormat {
	NIFTI(List.of(".nii.gz", ".nii"), true),
	HDF5(List.of(".h5", ".hdf5"), false),
	TIFF(List.of(".tif", ".tiff"), true);

	final List<String> extensions;
	final boolean writable;

	VolumeFormat(List<String> extensions, boolean writable) {
		this.extensions = extensions;
		this.writable = writable;
	}

	/** The format of a file, or null. */
	static VolumeFormat of(Path file) {
		Path name = file.getFileName();
		return of(name == null ? "" : name.toString());
	}

	/** The format of a file name, or null. */
	static VolumeFormat of(String fileName) {
		String name = fileName.toLowerCase(Locale.ROOT);
		for (VolumeFormat f : values())
			for (String e : f.extensions)
				if (name.endsWith(e) && name.length() > e.length()) return f;
		return null;
	}

	/** The matched extension as written in the file name, or "" when the format is unknown. */
	static String extensionOf(String fileName) {
		String name = fileName.toLowerCase(Locale.ROOT);
		VolumeFormat f = of(fileName);
		if (f != null) for (String e : f.extensions)
			if (name.endsWith(e)) return fileName.substring(name.length() - e.length());
		return "";
	}

	static String allExtensions(boolean writableOnly) {
		StringBuilder sb = new StringBuilder();
		for (VolumeFormat f : values())
			if (f.writable || !writableOnly) for (String e : f.extensions) sb.append(sb.length() == 0 ? "" : ", ").append(e);
		return sb.toString();
	}
}
