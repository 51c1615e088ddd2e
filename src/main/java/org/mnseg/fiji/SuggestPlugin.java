package org.mnseg.fiji;

import java.util.Map;

import ij.plugin.PlugIn;

/**
 * "M&amp;N Suggest Annotations" for ImageJ 1.x menus and macros (registered in {@code plugins.config}); its fields are
 * those of {@link SuggestSettings#DESCRIPTOR}:
 * {@code run("M&N Suggest Annotations", "model=/runs/a/model.mnmodel input=[open images] top=5")}.
 */
public class SuggestPlugin implements PlugIn {
	private static final DialogMemory MEMORY = new DialogMemory("mnseg.suggest.");

	@Override
	public void run(String arg) {
		CommandRun.run(SuggestRunner.COMMAND, exiting -> {
			SuggestSettings s = ask();
			if (s != null) SuggestRunner.show(SuggestRunner.run(s, exiting));
		});
	}

	/** Shows the dialog (or reads the macro options); null when cancelled. */
	SuggestSettings ask() {
		CommandValues v = new OptionsDialog(SuggestSettings.DESCRIPTOR, MEMORY, Map.of()).ask();
		return v == null ? null : SuggestSettings.from(v);
	}
}
