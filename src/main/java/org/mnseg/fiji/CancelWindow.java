package org.mnseg.fiji;

import java.awt.Button;
import java.awt.EventQueue;
import java.awt.FlowLayout;
import java.awt.Frame;
import java.awt.Label;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.concurrent.atomic.AtomicBoolean;

import ij.IJ;
import ij.gui.GUI;

/**
 * A small window with a Cancel button for a running training. Cancel (or Esc in ImageJ) sets a flag that the
 * training reads between steps, so it stops cleanly and keeps the checkpoint of the last finished epoch. Nothing is
 * shown headless or in batch mode; there the flag can still be set by the caller.
 */
final class CancelWindow implements AutoCloseable {
	private final AtomicBoolean cancelled = new AtomicBoolean();
	private Frame frame;

	CancelWindow(String title) {
		if (Feedback.quiet()) return;
		frame = new Frame(title);
		frame.setLayout(new FlowLayout(FlowLayout.CENTER, 10, 10));
		frame.add(new Label("Training runs in the background; progress is in the status bar and the loss plot."));
		Button cancel = new Button("Cancel training");
		cancel.addActionListener(e -> cancel());
		frame.add(cancel);
		frame.addWindowListener(new WindowAdapter() {
			@Override
			public void windowClosing(WindowEvent e) {
				cancel();
			}
		});
		frame.pack();
		GUI.centerOnImageJScreen(frame);
		frame.setVisible(true);
	}

	private void cancel() {
		cancelled.set(true);
		IJ.showStatus("M&N Co-Train: cancelling after the current step; the checkpoint is kept");
	}

	/** True once Cancel (or Esc) was pressed. */
	boolean isCancelled() {
		if (!cancelled.get() && !Feedback.quiet() && IJ.escapePressed()) cancel();
		return cancelled.get();
	}

	/** The window, for screenshots; null when headless. */
	Frame frame() {
		return frame;
	}

	/** Closes the window on the event thread, later: {@code dispose} from another thread waits for the event thread. */
	@Override
	public void close() {
		if (frame != null) EventQueue.invokeLater(frame::dispose);
	}
}
