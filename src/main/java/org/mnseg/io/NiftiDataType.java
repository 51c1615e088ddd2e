package org.mnseg.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.mnseg.util.UserError;

/** The NIfTI-1 voxel types this project reads, with their header codes and how to decode one value. */
enum NiftiDataType {
	UINT8(2, 1) {
		@Override
		double get(ByteBuffer b, int i) {
			return b.get(i) & 0xff;
		}
	},
	INT8(256, 1) {
		@Override
		double get(ByteBuffer b, int i) {
			return b.get(i);
		}
	},
	INT16(4, 2) {
		@Override
		double get(ByteBuffer b, int i) {
			return b.getShort(i * 2);
		}
	},
	UINT16(512, 2) {
		@Override
		double get(ByteBuffer b, int i) {
			return b.getShort(i * 2) & 0xffff;
		}
	},
	INT32(8, 4) {
		@Override
		double get(ByteBuffer b, int i) {
			return b.getInt(i * 4);
		}
	},
	FLOAT32(16, 4) {
		@Override
		double get(ByteBuffer b, int i) {
			return b.getFloat(i * 4);
		}
	},
	FLOAT64(64, 8) {
		@Override
		double get(ByteBuffer b, int i) {
			return b.getDouble(i * 8);
		}
	};

	final int code;
	final int bytes;

	NiftiDataType(int code, int bytes) {
		this.code = code;
		this.bytes = bytes;
	}

	/** Value {@code i} (a voxel index, not a byte offset) of a buffer whose byte order is already set. */
	abstract double get(ByteBuffer b, int i);

	static NiftiDataType of(int code, Object file) {
		for (NiftiDataType t : values())
			if (t.code == code) return t;
		throw new UserError(file + " stores voxels as NIfTI datatype " + code + ", which is not supported. Supported: "
			+ Arrays.stream(values()).map(t -> t.name().toLowerCase() + " (" + t.code + ")").collect(Collectors.joining(", "))
			+ ". Convert the file, e.g. to float32, in Fiji or with nibabel/SimpleITK.");
	}
}
