package org.mnseg.pretrained.tflite;

import java.nio.ByteBuffer;

import com.google.flatbuffers.Table;

/**
 * Field access by field id on a FlatBuffers table. A table's vtable holds 2-byte offsets, the one of field {@code id}
 * at byte {@code 4 + 2 * id}; an absent field (offset 0) takes the schema's default.
 */
class FlatTable extends Table {

	FlatTable(int position, ByteBuffer buffer) {
		__reset(position, buffer);
	}

	private int fieldOffset(int id) {
		return __offset(4 + 2 * id);
	}

	boolean has(int id) {
		return fieldOffset(id) != 0;
	}

	int intField(int id, int fallback) {
		int o = fieldOffset(id);
		return o == 0 ? fallback : bb.getInt(bb_pos + o);
	}

	long longField(int id, long fallback) {
		int o = fieldOffset(id);
		return o == 0 ? fallback : bb.getLong(bb_pos + o);
	}

	int byteField(int id, int fallback) {
		int o = fieldOffset(id);
		return o == 0 ? fallback : bb.get(bb_pos + o);
	}

	/** An unsigned byte field (enums stored as ubyte). */
	int ubyteField(int id, int fallback) {
		int o = fieldOffset(id);
		return o == 0 ? fallback : bb.get(bb_pos + o) & 0xFF;
	}

	boolean boolField(int id) {
		int o = fieldOffset(id);
		return o != 0 && bb.get(bb_pos + o) != 0;
	}

	float floatField(int id, float fallback) {
		int o = fieldOffset(id);
		return o == 0 ? fallback : bb.getFloat(bb_pos + o);
	}

	String stringField(int id) {
		int o = fieldOffset(id);
		return o == 0 ? null : __string(bb_pos + o);
	}

	/** Element count of a vector field (0 when absent). */
	int vectorLength(int id) {
		int o = fieldOffset(id);
		return o == 0 ? 0 : __vector_len(o);
	}

	/** Absolute position of a vector field's first element; only valid when the field is present. */
	int vectorStart(int id) {
		return __vector(fieldOffset(id));
	}

	int[] intVector(int id) {
		int n = vectorLength(id);
		int[] v = new int[n];
		if (n > 0) {
			int start = vectorStart(id);
			for (int i = 0; i < n; i++) v[i] = bb.getInt(start + 4 * i);
		}
		return v;
	}

	float[] floatVector(int id) {
		int n = vectorLength(id);
		float[] v = new float[n];
		if (n > 0) {
			int start = vectorStart(id);
			for (int i = 0; i < n; i++) v[i] = bb.getFloat(start + 4 * i);
		}
		return v;
	}

	long[] longVector(int id) {
		int n = vectorLength(id);
		long[] v = new long[n];
		if (n > 0) {
			int start = vectorStart(id);
			for (int i = 0; i < n; i++) v[i] = bb.getLong(start + 8 * i);
		}
		return v;
	}

	/** Element {@code i} of a vector of tables (offsets to tables). */
	FlatTable tableAt(int id, int i) {
		int slot = vectorStart(id) + 4 * i;
		return new FlatTable(__indirect(slot), bb);
	}

	/** A sub-table field (or a union's value), null when absent. */
	FlatTable table(int id) {
		int o = fieldOffset(id);
		return o == 0 ? null : new FlatTable(__indirect(bb_pos + o), bb);
	}

	ByteBuffer buffer() {
		return bb;
	}
}
