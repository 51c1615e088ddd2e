package org.mnseg.fiji;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The core's messages are written for the command line and name its flags ({@code --resume}, {@code --epochs});
 * in Fiji they name the dialog's fields instead: a flag that is a field becomes its label ('Resume', 'Epochs'), any
 * other training setting the name it has in the Co-Train 'Options' field.
 */
final class DialogWords {
	private DialogWords() {}

	/** Command-line flags whose setting is a Co-Train field of another name: flag, macro key. */
	private static final Map<String, String> FIELD_OF_FLAG = Map.of("out", "output", "architecture3d", "architecture", "architecture2d", "model2d",
		"fine-tuning", "finetuning", "labeled", "subset", "replace-nan", "replacenan");

	private static final List<CommandDescriptor> DESCRIPTORS = List.of(CoTrainSettings.DESCRIPTOR, SegmentSettings.DESCRIPTOR,
		ExportModelSettings.DESCRIPTOR);

	private static final Pattern FLAG = Pattern.compile("--([a-z0-9][a-z0-9-]*)");

	/** {@code message} in the words of the dialog of the command titled {@code command}. */
	static String of(String command, String message) {
		if (message == null) return null;
		CommandDescriptor d = DESCRIPTORS.stream().filter(x -> x.title().equals(command)).findFirst().orElse(null);
		String text = message.replaceAll("[`']?mn (train|segment|export) --help[`']?", "the dialog's Help button");
		Matcher m = FLAG.matcher(text);
		StringBuilder out = new StringBuilder();
		while (m.find()) {
			String flag = m.group(1), key = FIELD_OF_FLAG.getOrDefault(flag, flag);
			String words;
			if (d != null && d.parameters().stream().anyMatch(p -> p.key().equals(key))) words = "'" + d.parameter(key).label() + "'";
			else if (d == CoTrainSettings.DESCRIPTOR) words = "'" + flag + "' (in Options)";
			else words = "'" + flag + "'";
			m.appendReplacement(out, Matcher.quoteReplacement(words));
		}
		m.appendTail(out);
		return out.toString();
	}
}
