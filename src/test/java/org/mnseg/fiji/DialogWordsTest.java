package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.CancellationException;

import org.junit.Test;

/** Core messages name command-line flags; the Fiji commands show the dialog's field names instead. */
public class DialogWordsTest {
	private static final String CO_TRAIN = CoTrainSettings.DESCRIPTOR.title();

	@Test
	public void flagsBecomeFieldLabelsOrOptionNames() {
		assertEquals("The run folder /r already holds a checkpoint. Add 'Resume' to continue that run, or choose another 'Output folder' folder.",
			DialogWords.of(CO_TRAIN, "The run folder /r already holds a checkpoint. Add --resume to continue that run, or choose another --out folder."));
		assertEquals("'Epochs' must be at least 1, got 0.", DialogWords.of(CO_TRAIN, "--epochs must be at least 1, got 0."));
		assertEquals("or train with 'Method' labeled-only.", DialogWords.of(CO_TRAIN, "or train with --method labeled-only."));
		assertEquals("'weight-decay' (in Options) must be 0 or more", DialogWords.of(CO_TRAIN, "--weight-decay must be 0 or more"));
		assertEquals("Unknown setting 'x': the dialog's Help button lists them.", DialogWords.of(CO_TRAIN, "Unknown setting 'x': `mn train --help` lists them."));
		// a message without flags, and another command's message, pass unchanged but for its flags
		assertEquals("Choose the model.", DialogWords.of(SegmentSettings.DESCRIPTOR.title(), "Choose the model."));
		assertEquals("'Model' is missing", DialogWords.of(SegmentSettings.DESCRIPTOR.title(), "--model is missing"));
	}

	/** Found by ResearcherPathTest: Cancel training said "Run again with --resume", a flag the dialog does not have. */
	@Test
	public void theCancelMessageNamesTheResumeCheckbox() {
		PrintStream old = System.out;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		System.setOut(new PrintStream(out, true));
		try {
			Feedback.report(CO_TRAIN, new CancellationException("Training cancelled during epoch 2; the last checkpoint is kept. Run again with --resume to "
				+ "continue."));
		} finally {
			System.setOut(old);
		}
		assertTrue(out.toString(), out.toString().contains("M&N Co-Train cancelled. Training cancelled during epoch 2; the last checkpoint is kept. Run "
			+ "again with 'Resume' to continue."));
	}
}
