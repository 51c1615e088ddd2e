package org.mnseg.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few Python pickle (protocol 2) opcodes a PyTorch state dict needs, written by hand so that export needs no
 * Python: globals, tuples, ints, booleans, strings, calls ({@code REDUCE}), dict items and persistent ids. No memo is
 * written (it only saves space for repeated objects), which every unpickler accepts.
 */
final class PickleWriter {
	// opcodes (pickletools' names)
	private static final int PROTO = 0x80, STOP = '.', GLOBAL = 'c', REDUCE = 'R', MARK = '(', TUPLE = 't', EMPTY_TUPLE = ')',
		TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87, BININT = 'J', BININT1 = 'K', BININT2 = 'M', BINUNICODE = 'X', NEWTRUE = 0x88,
		NEWFALSE = 0x89, SETITEMS = 'u', BINPERSID = 'Q';

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	PickleWriter() {
		out.write(PROTO);
		out.write(2);
	}

	/** Pushes {@code module.name}, e.g. {@code collections.OrderedDict}. */
	PickleWriter global(String module, String name) {
		out.write(GLOBAL);
		out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
		return this;
	}

	PickleWriter mark() {
		out.write(MARK);
		return this;
	}

	/** Pops everything down to the last mark into a tuple. */
	PickleWriter tupleFromMark() {
		out.write(TUPLE);
		return this;
	}

	PickleWriter emptyTuple() {
		out.write(EMPTY_TUPLE);
		return this;
	}

	/** Pops the top 1, 2 or 3 items into a tuple. */
	PickleWriter tuple(int n) {
		switch (n) {
			case 0 -> out.write(EMPTY_TUPLE);
			case 1 -> out.write(TUPLE1);
			case 2 -> out.write(TUPLE2);
			case 3 -> out.write(TUPLE3);
			default -> throw new IllegalArgumentException("use mark() and tupleFromMark() for " + n + " items");
		}
		return this;
	}

	/** A tuple of ints, e.g. a tensor's size or stride. */
	PickleWriter intTuple(long[] values) {
		if (values.length > 3) mark();
		for (long v : values) integer(v);
		return values.length > 3 ? tupleFromMark() : tuple(values.length);
	}

	/** Calls the callable below the argument tuple on top of the stack. */
	PickleWriter reduce() {
		out.write(REDUCE);
		return this;
	}

	PickleWriter integer(long v) {
		if (v >= 0 && v < 256) {
			out.write(BININT1);
			out.write((int) v);
		} else if (v >= 0 && v < 65536) {
			out.write(BININT2);
			out.write((int) v & 0xff);
			out.write((int) (v >>> 8) & 0xff);
		} else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
			out.write(BININT);
			for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)) & 0xff);
		} else {
			throw new IllegalArgumentException("integer out of the 32-bit range: " + v);
		}
		return this;
	}

	PickleWriter bool(boolean v) {
		out.write(v ? NEWTRUE : NEWFALSE);
		return this;
	}

	PickleWriter string(String s) {
		byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
		out.write(BINUNICODE);
		for (int i = 0; i < 4; i++) out.write((utf8.length >>> (8 * i)) & 0xff);
		out.writeBytes(utf8);
		return this;
	}

	/** Pops key/value pairs down to the last mark into the dict below the mark. */
	PickleWriter setItemsFromMark() {
		out.write(SETITEMS);
		return this;
	}

	/** Replaces the object on top of the stack (the persistent id) by what the unpickler's persistent_load returns. */
	PickleWriter persistentId() {
		out.write(BINPERSID);
		return this;
	}

	byte[] finish() {
		out.write(STOP);
		return out.toByteArray();
	}
}
