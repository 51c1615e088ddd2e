package org.mnseg.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.mnseg.bundle.TensorStore;

/**
 * Writes float32 tensors as a PyTorch state dict in the file format of {@code torch.save} (PyTorch 1.6 and later), so
 * that {@code torch.load(file, weights_only=True)} returns an {@code OrderedDict} of name to tensor, ready for
 * {@code module.load_state_dict}. The format, as the reader expects it:
 * <ul>
 * <li>an uncompressed zip whose entries all lie in one folder (any name; {@code torch.save} uses the file's stem);</li>
 * <li>{@code data.pkl}: a protocol-2 pickle of the dict; each tensor is
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())}, and each
 * storage is a persistent id {@code ('storage', torch.FloatStorage, key, 'cpu', numel)};</li>
 * <li>{@code data/<key>}: the storage's raw bytes, little-endian, each aligned to 64 bytes in the file as
 * {@code torch.save} aligns them (needed only for memory-mapped loading);</li>
 * <li>{@code version} ({@code 3}) and {@code byteorder} ({@code little}).</li>
 * </ul>
 * Those names and callables are exactly what the weights-only unpickler allows, and nothing else is pickled.
 */
public final class TorchStateDictWriter {
	private static final int ALIGNMENT = 64;
	/** Zip extra-field id of the alignment padding; readers skip ids they do not know. */
	private static final int PADDING_FIELD_ID = 0x4e4d;
	private static final long ZIP_TIME = 315532800000L + 86_400_000L; // 1980-01-02: fixed, so equal weights give equal files

	private TorchStateDictWriter() {}

	/** Writes {@code tensors} (in their order) to {@code out} under the archive folder {@code archiveName}. */
	public static void write(TensorStore tensors, String archiveName, OutputStream out) throws IOException {
		CountingStream counting = new CountingStream(out);
		ZipOutputStream zip = new ZipOutputStream(counting);
		String prefix = archiveName + "/";
		put(zip, counting, prefix + "data.pkl", pickle(tensors), false);
		put(zip, counting, prefix + "byteorder", "little".getBytes(StandardCharsets.US_ASCII), false);
		int key = 0;
		for (TensorStore.Tensor t : tensors.asMap().values()) put(zip, counting, prefix + "data/" + key++, littleEndian(t.data()), true);
		put(zip, counting, prefix + "version", "3\n".getBytes(StandardCharsets.US_ASCII), false);
		zip.finish();
		zip.flush();
	}

	/** The pickled {@code OrderedDict}; storage keys are the tensors' positions ("0", "1", ...). */
	static byte[] pickle(TensorStore tensors) {
		PickleWriter p = new PickleWriter();
		p.global("collections", "OrderedDict").emptyTuple().reduce();
		p.mark();
		int key = 0;
		for (Map.Entry<String, TensorStore.Tensor> e : tensors.asMap().entrySet()) {
			long[] shape = e.getValue().shape();
			p.string(e.getKey());
			p.global("torch._utils", "_rebuild_tensor_v2");
			p.mark();
			// the storage: a persistent id that torch.load's persistent_load resolves to data/<key>
			p.mark().string("storage").global("torch", "FloatStorage").string(Integer.toString(key++)).string("cpu")
				.integer(e.getValue().data().length).tupleFromMark().persistentId();
			p.integer(0).intTuple(shape).intTuple(contiguousStrides(shape)).bool(false);
			p.global("collections", "OrderedDict").emptyTuple().reduce();
			p.tupleFromMark().reduce();
		}
		p.setItemsFromMark();
		return p.finish();
	}

	/** C-order strides of a contiguous tensor, in elements. */
	static long[] contiguousStrides(long[] shape) {
		long[] stride = new long[shape.length];
		long s = 1;
		for (int i = shape.length - 1; i >= 0; i--) {
			stride[i] = s;
			s *= shape[i];
		}
		return stride;
	}

	private static byte[] littleEndian(float[] values) {
		ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		b.asFloatBuffer().put(values);
		return b.array();
	}

	private static void put(ZipOutputStream zip, CountingStream counting, String name, byte[] data, boolean aligned) throws IOException {
		ZipEntry e = new ZipEntry(name);
		e.setMethod(ZipEntry.STORED);
		e.setSize(data.length);
		e.setCompressedSize(data.length);
		CRC32 crc = new CRC32();
		crc.update(data);
		e.setCrc(crc.getValue());
		e.setTime(ZIP_TIME);
		if (aligned) {
			// local header: 30 bytes + name + extra; pad the extra so that the data starts on a 64-byte boundary
			int nameLength = name.getBytes(StandardCharsets.UTF_8).length;
			int pad = (int) Math.floorMod(-(counting.count + 30 + nameLength + 4), (long) ALIGNMENT);
			byte[] extra = new byte[4 + pad];
			extra[0] = (byte) PADDING_FIELD_ID;
			extra[1] = (byte) (PADDING_FIELD_ID >>> 8);
			extra[2] = (byte) pad;
			extra[3] = (byte) (pad >>> 8);
			e.setExtra(extra);
		}
		zip.putNextEntry(e);
		if (aligned && counting.count % ALIGNMENT != 0)
			throw new IllegalStateException("zip entry " + name + " starts at " + counting.count + ", not on a " + ALIGNMENT + "-byte boundary");
		zip.write(data);
		zip.closeEntry();
	}

	/** Counts the bytes written, to place the zip entries' data. */
	private static final class CountingStream extends FilterOutputStream {
		long count;

		CountingStream(OutputStream out) {
			super(out);
		}

		@Override
		public void write(int b) throws IOException {
			out.write(b);
			count++;
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			out.write(b, off, len);
			count += len;
		}
	}
}
