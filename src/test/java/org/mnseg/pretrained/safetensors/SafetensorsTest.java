package org.mnseg.pretrained.safetensors;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.util.UserError;

public class SafetensorsTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	private static byte[] le(int bytesPerValue, long... values) {
		ByteBuffer b = ByteBuffer.allocate(bytesPerValue * values.length).order(ByteOrder.LITTLE_ENDIAN);
		for (long v : values) {
			if (bytesPerValue == 2)
				b.putShort((short) v);
			else
				b.putLong(v);
		}
		return b.array();
	}

	private SafetensorsWriter sample() {
		// F16 bit patterns: 1.0, -2.0, 0.5, 65504 (max), 2^-24 (smallest subnormal), -0.0, +inf
		byte[] f16 = le(2, 0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x8000, 0x7C00);
		// BF16 = upper half of float32: 1.0, -3.5, 1/3 truncated to 0x3EAA
		byte[] bf16 = le(2, 0x3F80, 0xC060, 0x3EAA);
		return new SafetensorsWriter()
			.f32("w", new long[] { 2, 3 }, new float[] { 1, 2, 3, 4, 5, -6.25f })
			.raw("half", "F16", new long[] { 7 }, f16)
			.raw("brain", "BF16", new long[] { 3 }, bf16)
			.raw("count", "I64", new long[] {}, le(8, 12345));
	}

	@Test
	public void readsF32F16Bf16AndI64ScalarByName() throws Exception {
		Path file = sample().write(tmp.newFile("m.safetensors").toPath());
		try (Safetensors st = Safetensors.open(file)) {
			assertEquals(List.of("w", "half", "brain", "count"), List.copyOf(st.names()));
			assertEquals("pt", st.metadata().get("format"));
			assertArrayEquals(new long[] { 2, 3 }, st.info("w").shape());
			assertArrayEquals(new float[] { 1, 2, 3, 4, 5, -6.25f }, st.floats("w"), 0f);
			assertArrayEquals(new float[] { 1f, -2f, 0.5f, 65504f, 0x1p-24f, -0f, Float.POSITIVE_INFINITY },
				st.floats("half"), 0f);
			assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(st.floats("half")[5]));
			assertArrayEquals(new float[] { 1f, -3.5f, Float.intBitsToFloat(0x3EAA0000) }, st.floats("brain"), 0f);
			assertEquals(Safetensors.DType.I64, st.info("count").dtype());
			assertEquals(0, st.info("count").shape().length);
			assertArrayEquals(new long[] { 12345 }, st.longs("count"));
			assertThrows(UserError.class, () -> st.floats("count"));
			assertThrows(UserError.class, () -> st.floats("absent"));
		}
	}

	@Test
	public void halfPrecisionMatchesTheDefinitionForEveryBitPattern() {
		for (int h = 0; h < 0x10000; h++) {
			int exponent = (h >> 10) & 0x1F;
			int mantissa = h & 0x3FF;
			double sign = (h & 0x8000) != 0 ? -1 : 1;
			float got = Safetensors.halfToFloat((short) h);
			if (exponent == 0x1F) {
				assertTrue(mantissa == 0 ? Float.isInfinite(got) : Float.isNaN(got));
				continue;
			}
			double want = exponent == 0 ? sign * mantissa * Math.pow(2, -24)
				: sign * (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
			assertEquals("bits " + Integer.toHexString(h), want, got, 0);
		}
	}

	@Test
	public void truncatedFilesFailWithAClearMessage() throws Exception {
		byte[] full = sample().bytes();
		// cut inside the length field, inside the header, and inside the data of the last tensor
		for (int length : new int[] { 0, 5, 20, full.length - 1 }) {
			Path file = tmp.newFile("cut" + length + ".safetensors").toPath();
			Files.write(file, Arrays.copyOf(full, length));
			UserError e = assertThrows(UserError.class, () -> Safetensors.open(file).close());
			assertTrue(e.getMessage(), e.getMessage().contains(file.toString()));
			assertTrue(e.getMessage(), e.getMessage().contains("truncated") || e.getMessage().contains("fewer than"));
		}
	}

	@Test
	public void corruptHeadersAndMissingFilesAreUserErrors() throws Exception {
		Path notJson = tmp.newFile("a.safetensors").toPath();
		byte[] text = "{not json".getBytes(StandardCharsets.UTF_8);
		ByteBuffer b = ByteBuffer.allocate(8 + text.length).order(ByteOrder.LITTLE_ENDIAN).putLong(text.length).put(text);
		Files.write(notJson, b.array());
		assertTrue(assertThrows(UserError.class, () -> Safetensors.open(notJson)).getMessage().contains("JSON"));

		// a shape that does not match the byte range
		Path badShape = new SafetensorsWriter().raw("x", "F32", new long[] { 3 }, new byte[8])
			.write(tmp.newFile("b.safetensors").toPath());
		assertTrue(assertThrows(UserError.class, () -> Safetensors.open(badShape)).getMessage().contains("x"));

		Path badType = new SafetensorsWriter().raw("x", "C64", new long[] { 1 }, new byte[8])
			.write(tmp.newFile("c.safetensors").toPath());
		assertTrue(assertThrows(UserError.class, () -> Safetensors.open(badType)).getMessage().contains("C64"));

		Path absent = tmp.getRoot().toPath().resolve("none.safetensors");
		assertTrue(assertThrows(UserError.class, () -> Safetensors.open(absent)).getMessage().contains("does not exist"));
	}
}
