package org.mnseg.fiji;

import java.io.File;

import org.scijava.command.DynamicCommand;
import org.scijava.command.DynamicCommandInfo;
import org.scijava.module.DefaultMutableModuleItem;
import org.scijava.widget.FileWidget;

/**
 * The SciJava face of a {@link CommandDescriptor}: a command whose inputs are built from the descriptor (name = macro
 * key, label, description, default, choices), so that scripts, Fiji's dialogs and macro lines see the same fields as
 * the ImageJ 1.x plugin. A {@code DynamicCommand}: run it through the {@code ModuleService}
 * ({@code modules.run(command.getCommand(Class), false, "key", value, ...).get()}); {@code CommandService.run} gives no
 * Future for dynamic commands.
 */
public abstract class DescriptorCommand extends DynamicCommand {
	private boolean built;

	/** The command's fields. */
	protected abstract CommandDescriptor descriptor();

	@Override
	public DynamicCommandInfo getInfo() {
		DynamicCommandInfo info = super.getInfo();
		if (!built) {
			// once per command instance: the info object is this instance's own
			built = true;
			for (CommandParameter p : descriptor().parameters()) info.addInput(input(info, p));
		}
		return info;
	}

	private static DefaultMutableModuleItem<?> input(DynamicCommandInfo info, CommandParameter p) {
		DefaultMutableModuleItem<?> item = switch (p.kind()) {
			case TEXT -> withDefault(new DefaultMutableModuleItem<>(info, p.key(), String.class), (String) p.initialValue());
			case CHOICE -> {
				DefaultMutableModuleItem<String> c = withDefault(new DefaultMutableModuleItem<>(info, p.key(), String.class), (String) p.initialValue());
				c.setChoices(p.choiceList());
				yield c;
			}
			case FILE, OUTPUT_FILE, FOLDER -> {
				DefaultMutableModuleItem<File> f = new DefaultMutableModuleItem<>(info, p.key(), File.class);
				f.setWidgetStyle(switch (p.kind()) {
					case FILE -> FileWidget.OPEN_STYLE;
					case OUTPUT_FILE -> FileWidget.SAVE_STYLE;
					default -> FileWidget.DIRECTORY_STYLE;
				});
				yield f;
			}
			case INTEGER -> withDefault(new DefaultMutableModuleItem<>(info, p.key(), Integer.class), (Integer) p.initialValue());
			case FLAG -> withDefault(new DefaultMutableModuleItem<>(info, p.key(), Boolean.class), Boolean.FALSE);
		};
		item.setLabel(p.label());
		item.setDescription(p.description());
		// the runners check every value and name the field to change, so SciJava need not insist on any
		item.setRequired(false);
		item.setPersisted(p.remembered());
		return item;
	}

	private static <T> DefaultMutableModuleItem<T> withDefault(DefaultMutableModuleItem<T> item, T value) {
		item.setDefaultValue(value);
		return item;
	}

	/** The values of this run, by key; inputs not given take the descriptor's defaults. */
	protected CommandValues values() {
		CommandValues v = new CommandValues(descriptor());
		for (CommandParameter p : descriptor().parameters()) {
			Object value = getInput(p.key());
			v.put(p.key(), value instanceof File f ? f.getPath() : value);
		}
		return v;
	}
}
