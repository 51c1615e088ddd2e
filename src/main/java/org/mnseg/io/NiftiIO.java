package org.mnseg.io;

import org.mnseg.data.LabelConversion;
import org.mnseg.util.InputFiles;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.mnseg.data.Geometry;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.util.AtomicFiles;
import org.mnseg.util.UserError;

/**
 * Reads and writes NIfTI-1 single files ({@code .nii}, {@code .nii.gz}).
 * <p>
 * Reading accepts uint8, int8, int16, uint16, int32, float32 and float64 voxels in either byte order, honours
 * vox_offset, and applies scl_slope/scl_inter. The 348-byte header is kept in the volume's {@link Geometry}, so that
 * label maps and probability maps are written back on the same grid with the same qform/sform. Compression is
 * recognised from the content when reading and chosen by the {@code .gz} file name when writing.
 */
public final class NiftiIO {
	private static final String FORMAT = "NIfTI-1";

	private NiftiIO() {}

	/**
	 * Reads a volume. A 4-D file (dim[4] > 1) becomes a multi-channel volume, channels last, which is exactly the
	 * NIfTI voxel order; use {@link #read3D} where only a single channel makes sense.
	 */
	public static Volume read(Path file) {
		return read(file, true);
	}

	/** Reads a 3-D volume; a real 4-D file is a UserError naming the file and its shape. */
	public static Volume read3D(Path file) {
		return read(file, false);
	}

	/** Reads a label map (3-D); values are rounded to class indices as described in {@link LabelConversion}. */
	public static LabelVolume readLabels(Path file) {
		return LabelConversion.toLabels(read3D(file), file);
	}

	/** Whether the file name ends in {@code .nii} or {@code .nii.gz} (any case). */
	public static boolean isNiftiName(Path file) {
		return VolumeFormat.of(file) == VolumeFormat.NIFTI;
	}

	/** The voxel grid of a file from its header alone: {x, y, z} and the spacing in mm. */
	public static VolumeGrid readGrid(Path file) {
		InputFiles.requireReadable(file);
		try (InputStream in = openMaybeCompressed(file)) {
			NiftiHeader header = parseHeader(in.readNBytes(NiftiHeader.SIZE), file);
			int[] dims = volumeDims(header, file, true);
			return new VolumeGrid(new int[] { dims[0], dims[1], dims[2] }, dims[3], header.spacing());
		}
		catch (EOFException e) {
			throw new UserError(file + " is truncated: it ends inside the header. Copy or export the file again.", e);
		}
		catch (IOException e) {
			throw InputFiles.cannotRead(file, FORMAT, e);
		}
	}

	/**
	 * The number of voxels (all channels) a file holds, from its header alone: the voxel data is not read, so that a
	 * batch of thousands of volumes can be sized cheaply.
	 */
	public static long voxelCount(Path file) {
		VolumeGrid g = readGrid(file);
		return (long) g.shape()[0] * g.shape()[1] * g.shape()[2] * g.channels();
	}

	private static Volume read(Path file, boolean allowChannels) {
		InputFiles.requireReadable(file);
		try (InputStream in = openMaybeCompressed(file)) {
			NiftiHeader header = parseHeader(in.readNBytes(NiftiHeader.SIZE), file);
			NiftiDataType type = NiftiDataType.of(header.datatype(), file);
			int[] dims = volumeDims(header, file, allowChannels);
			long voxels = (long) dims[0] * dims[1] * dims[2] * dims[3];
			if (voxels * type.bytes > Integer.MAX_VALUE - 64)
				throw new UserError(file + " holds " + voxels + " voxels, more than this program can hold in one volume (2 GB). Crop or downsample it first.");

			// vox_offset below the header only occurs in broken or two-file headers; 352 is the single-file default
			long offset = header.voxOffset() >= NiftiHeader.SIZE ? (long) header.voxOffset() : NiftiHeader.DATA_OFFSET;
			in.skipNBytes(offset - NiftiHeader.SIZE);
			int byteCount = (int) (voxels * type.bytes);
			byte[] raw = in.readNBytes(byteCount);
			if (raw.length < byteCount)
				throw new UserError(file + " is truncated: its header announces " + byteCount + " bytes of voxel data, the file holds "
					+ raw.length + ". Copy or export the file again.");

			float[] values = decode(ByteBuffer.wrap(raw).order(header.order()), type, (int) voxels, header);
			long[] shape = dims[3] == 1 ? new long[] { dims[0], dims[1], dims[2] } : new long[] { dims[0], dims[1], dims[2], dims[3] };
			return Volume.wrap(values, shape, new Geometry(header.spacing(), header.bytes()));
		}
		catch (EOFException e) {
			throw new UserError(file + " is truncated: it ends inside the header or before vox_offset. Copy or export the file again.", e);
		}
		catch (IOException e) {
			throw InputFiles.cannotRead(file, FORMAT, e);
		}
	}

	private static NiftiHeader parseHeader(byte[] bytes, Path file) {
		try {
			return NiftiHeader.parse(bytes);
		}
		catch (IllegalArgumentException e) {
			throw new UserError("Cannot read " + file + " as NIfTI-1: " + e.getMessage() + ".");
		}
	}

	/** {x, y, z, channels} from dim[], rejecting shapes this program cannot use. */
	private static int[] volumeDims(NiftiHeader header, Path file, boolean allowChannels) {
		int[] dim = header.rawDims();
		int rank = dim[0];
		if (rank < 1 || rank > 7) throw new UserError(file + " has an invalid NIfTI header: dim[0] is " + rank + " (must be 1 to 7).");
		int[] used = Arrays.copyOfRange(dim, 1, rank + 1);
		for (int d : used)
			if (d < 1) throw new UserError(file + " has an invalid NIfTI header: dimensions " + Arrays.toString(used) + ".");
		int[] out = { 1, 1, 1, 1 };
		for (int i = 0; i < Math.min(rank, 4); i++) out[i] = used[i];
		boolean beyondFour = false;
		for (int i = 4; i < rank; i++) beyondFour |= used[i] > 1;
		if (beyondFour || (!allowChannels && out[3] > 1))
			throw new UserError(file + " is a " + rank + "-D volume of shape " + shapeText(used) + "; a 3-D volume is expected here. "
				+ "Split it into 3-D files (e.g. one per channel or time point) first.");
		return out;
	}

	private static float[] decode(ByteBuffer data, NiftiDataType type, int voxels, NiftiHeader header) {
		float slope = header.sclSlope(), inter = header.sclInter();
		// NIfTI: slope 0 (or not a number) means "no scaling"; (1, 0) is the identity and is skipped for speed
		boolean scaled = slope != 0 && Float.isFinite(slope) && !(slope == 1 && inter == 0);
		double a = scaled ? slope : 1, b = scaled && Float.isFinite(inter) ? inter : 0;
		float[] out = new float[voxels];
		if (type == NiftiDataType.FLOAT32 && !scaled) data.asFloatBuffer().get(out);
		else for (int i = 0; i < voxels; i++) out[i] = (float) (a * type.get(data, i) + b);
		return out;
	}

	/** Writes a label map as uint8 NIfTI, on the grid of the header it was read with when there is one. */
	public static void writeLabels(LabelVolume labels, Path file) {
		NiftiHeader header = headerFor(labels.geometry(), labels.shape());
		header.setDatatype(NiftiDataType.UINT8.code, 8);
		header.setCalibrationRange(0, labels.maxLabel());
		byte[] data = labels.data();
		write(file, header, out -> out.write(data));
	}

	/** Writes a float volume (e.g. a probability map) as float32 NIfTI; channels become the 4th axis. */
	public static void writeImage(Volume image, Path file) {
		int[] s = image.shape();
		int[] dims = image.channels() == 1 ? s : new int[] { s[0], s[1], s[2], image.channels() };
		NiftiHeader header = headerFor(image.geometry(), dims);
		header.setDatatype(NiftiDataType.FLOAT32.code, 32);
		header.setCalibrationRange(0, 0); // 0/0 = "not set": viewers use the data range
		float[] data = image.data();
		write(file, header, out -> {
			ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(header.order());
			for (float v : data) {
				if (!chunk.hasRemaining()) flush(chunk, out);
				chunk.putFloat(v);
			}
			flush(chunk, out);
		});
	}

	private static void flush(ByteBuffer chunk, OutputStream out) throws IOException {
		out.write(chunk.array(), 0, chunk.position());
		chunk.clear();
	}

	/**
	 * The header to write: the source header (same orientation and byte order) when the geometry has one for the
	 * same X, Y, Z size; otherwise a minimal header with the geometry's spacing. A cropped or resampled volume must
	 * not inherit an affine that describes another grid.
	 */
	private static NiftiHeader headerFor(Geometry geometry, int[] dims) {
		NiftiHeader header = sourceHeader(geometry, dims);
		if (header == null) header = NiftiHeader.minimal(dims, geometry.spacing());
		header.setDims(dims);
		header.clearIntent();
		header.setScaling(1, 0);
		header.setVoxOffset(NiftiHeader.DATA_OFFSET);
		header.setSingleFileMagic();
		return header;
	}

	/**
	 * Whether a volume of this geometry and X, Y, Z size is written with the header it was read with (orientation,
	 * qform/sform, units), rather than a plain header with its spacing only.
	 */
	public static boolean keepsSourceHeader(Geometry geometry, int[] shape) {
		return sourceHeader(geometry, shape) != null;
	}

	/** A copy of the geometry's header when it describes a grid of the same X, Y, Z size; else null. */
	private static NiftiHeader sourceHeader(Geometry geometry, int[] dims) {
		byte[] source = geometry.niftiHeader();
		if (source == null) return null;
		try {
			NiftiHeader parsed = NiftiHeader.parse(source);
			int[] d = parsed.rawDims();
			return d[1] == dims[0] && d[2] == dims[1] && d[3] == dims[2] ? parsed.copy() : null;
		}
		catch (IllegalArgumentException e) {
			return null; // a damaged header in memory: a minimal one is written rather than the write failing
		}
	}

	private static void write(Path file, NiftiHeader header, AtomicFiles.StreamWriter voxels) {
		boolean gzip = file.getFileName().toString().toLowerCase().endsWith(".gz");
		AtomicFiles.write(file, raw -> {
			OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
			out.write(header.bytes());
			out.write(new byte[NiftiHeader.DATA_OFFSET - NiftiHeader.SIZE]); // extension flag 0: no extensions
			voxels.write(out);
			if (gzip) out.close(); // writes the gzip trailer and frees the native deflater
		});
	}

	private static InputStream openMaybeCompressed(Path file) throws IOException {
		BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
		in.mark(2);
		int b0 = in.read(), b1 = in.read();
		in.reset();
		// the gzip magic number, not the file name, decides: some tools name compressed files .nii and vice versa
		return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
	}

	static String shapeText(int[] shape) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : " x ").append(shape[i]);
		return sb.toString();
	}
}
