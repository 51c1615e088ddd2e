package org.mnseg.fiji;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Fiji command's title, help and fields, in dialog order, grouped in sections. Both faces of the command are built
 * from it: the ImageJ 1.x plugin ({@link OptionsDialog}) and the SciJava command ({@link DescriptorCommand}), so a
 * field's key, label, description, default and choices are written once.
 *
 * @param title the menu title, also the name a macro calls: {@code run("title", "key=value ...")}
 * @param intro the Help page's first paragraph (HTML)
 * @param groups the dialog's sections, in order
 * @param parameters the fields, in dialog order within their section
 * @param appendix   HTML the Help page ends with (e.g. the settings a free-text field takes); may be empty
 */
public record CommandDescriptor(String title, String intro, List<String> groups, List<CommandParameter> parameters, String appendix) {
	public CommandDescriptor(String title, String intro, List<String> groups, List<CommandParameter> parameters) {
		this(title, intro, groups, parameters, "");
	}

	public CommandDescriptor {
		groups = List.copyOf(groups);
		parameters = List.copyOf(parameters);
		Set<String> keys = new HashSet<>();
		for (CommandParameter p : parameters) {
			if (!groups.contains(p.group())) throw new IllegalArgumentException(p.key() + ": unknown section " + p.group());
			for (String k : concat(p.key(), p.aliases()))
				if (!keys.add(k)) throw new IllegalArgumentException(title + ": key " + k + " is used twice");
		}
	}

	private static List<String> concat(String key, List<String> aliases) {
		java.util.ArrayList<String> all = new java.util.ArrayList<>(aliases);
		all.add(0, key);
		return all;
	}

	/** The field with this key. */
	public CommandParameter parameter(String key) {
		return parameters.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow(() -> new IllegalArgumentException("no field " + key));
	}

	/** The fields of a section, main or advanced. */
	public List<CommandParameter> in(String group, boolean advanced) {
		return parameters.stream().filter(p -> p.group().equals(group) && p.advanced() == advanced).toList();
	}

	public List<String> keys() {
		return parameters.stream().map(CommandParameter::key).toList();
	}

	/** The Help page: the intro, then every field by section with its macro key and description. */
	public String helpHtml() {
		StringBuilder b = new StringBuilder("<html><h2>").append(html(title)).append("</h2><p>").append(intro).append("</p>");
		for (String g : groups) {
			b.append("<h3>").append(html(g)).append("</h3><ul>");
			for (CommandParameter p : parameters)
				if (p.group().equals(g))
					b.append("<li><b>").append(html(p.label())).append("</b> (<tt>").append(p.key()).append("</tt>").append(p.advanced() ? ", advanced" : "")
						.append("): ").append(html(p.description())).append(choices(p)).append("</li>");
			b.append("</ul>");
		}
		b.append("<p>Record the command (Plugins &gt; Macros &gt; Record) to repeat it in a macro: ")
			.append("<tt>run(\"").append(html(title)).append("\", \"key=value ...\")</tt>; keys left out take the defaults.</p>");
		return b.append(appendix).append("</html>").toString();
	}

	private static String choices(CommandParameter p) {
		return p.kind() == CommandParameter.Kind.CHOICE ? " <i>(" + html(String.join(", ", p.choiceList())) + ")</i>" : "";
	}

	static String html(String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
