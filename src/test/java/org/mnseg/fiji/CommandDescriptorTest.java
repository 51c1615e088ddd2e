package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.Test;
import org.mnseg.export.ExportSettings;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

import ij.Macro;

/**
 * Both faces of each Fiji command come from one descriptor: the SciJava command exposes exactly the descriptor's
 * keys, labels, descriptions, defaults and choices, and the same key=value pairs give the same settings through the
 * ImageJ 1.x plugin's macro options and through the SciJava inputs.
 */
public class CommandDescriptorTest {
	/** The SciJava-only input of Segment: Fiji fills it with the active image; the ImageJ 1.x plugin takes the current one. */
	private static final String IMAGE_INPUT = "image";

	private static Module module(Context context, Class<? extends DescriptorCommand> type) {
		return context.service(ModuleService.class).createModule(context.service(CommandService.class).getCommand(type));
	}

	private static void assertSciJavaInputsAreTheDescriptor(CommandDescriptor d, Class<? extends DescriptorCommand> type) {
		try (Context context = new Context(CommandService.class)) {
			Module m = module(context, type);
			List<String> names = new ArrayList<>();
			for (ModuleItem<?> item : m.getInfo().inputs()) {
				// services and the context are SciJava's own inputs, not fields
				if (item.getName().equals(IMAGE_INPUT) || org.scijava.service.Service.class.isAssignableFrom(item.getType())
					|| Context.class.isAssignableFrom(item.getType())) continue;
				names.add(item.getName());
				CommandParameter p = d.parameter(item.getName());
				assertEquals(p.key(), p.label(), item.getLabel());
				assertEquals(p.key(), p.description(), item.getDescription());
				assertEquals(p.key(), Objects.toString(p.initialValue(), ""), Objects.toString(item.getDefaultValue(), ""));
				List<String> choices = item.getChoices() == null ? List.of() : item.getChoices().stream().map(String::valueOf).toList();
				assertEquals(p.key(), p.choiceList(), choices);
				assertEquals(p.key(), p.remembered(), item.isPersisted());
			}
			assertEquals(d.keys(), names);
		}
	}

	@Test
	public void sciJavaInputsAreTheDescriptorsFields() {
		assertSciJavaInputsAreTheDescriptor(CoTrainSettings.DESCRIPTOR, CoTrainCommand.class);
		assertSciJavaInputsAreTheDescriptor(SegmentSettings.DESCRIPTOR, SegmentImageCommand.class);
		assertSciJavaInputsAreTheDescriptor(ExportModelSettings.DESCRIPTOR, ExportModelCommand.class);
		assertSciJavaInputsAreTheDescriptor(SuggestSettings.DESCRIPTOR, SuggestAnnotationsCommand.class);
		// the choices are the core's: a new method appears in both faces by itself
		assertEquals(org.mnseg.workflow.TrainOptions.methods(), CoTrainSettings.DESCRIPTOR.parameter("method").choiceList());
	}

	/** Runs a plugin's ask() with macro options on a thread named as ImageJ names its command threads. */
	private static <S> S withMacroOptions(String options, Supplier<S> ask) throws InterruptedException {
		AtomicReference<S> out = new AtomicReference<>();
		Thread t = new Thread(() -> {
			Macro.setOptions(Thread.currentThread(), options);
			try {
				out.set(ask.get());
			} finally {
				Macro.setOptions(Thread.currentThread(), null);
			}
		}, "Run$_descriptor");
		t.start();
		t.join();
		return out.get();
	}

	private static CoTrainSettings pluginSettings(String options) throws InterruptedException {
		return withMacroOptions(options, () -> new CoTrainPlugin().ask());
	}

	/** The settings a SciJava command makes of these inputs (paths given as text, as SciJava gets Files). */
	private static <C extends DescriptorCommand, S> S sciJavaSettings(Class<C> type, Map<String, Object> inputs, Function<C, S> settings) {
		try (Context context = new Context(CommandService.class)) {
			C m = type.cast(module(context, type));
			inputs.forEach((k, v) -> m.setInput(k, v instanceof String s && isPath(m.descriptor(), k) ? new File(s) : v));
			return settings.apply(m);
		}
	}

	private static CoTrainSettings sciJavaSettings(Map<String, Object> inputs) {
		return sciJavaSettings(CoTrainCommand.class, inputs, CoTrainCommand::settings);
	}

	private static boolean isPath(CommandDescriptor d, String key) {
		CommandParameter.Kind k = d.parameter(key).kind();
		return k == CommandParameter.Kind.FILE || k == CommandParameter.Kind.OUTPUT_FILE || k == CommandParameter.Kind.FOLDER;
	}

	/** The macro options that give these values: {@code key=[value]}, a flag's key alone when on. */
	private static String macroOptions(Map<String, Object> values) {
		StringBuilder options = new StringBuilder();
		values.forEach((k, v) -> options.append(Boolean.TRUE.equals(v) ? k : k + "=[" + v + "]").append(' '));
		return options.toString();
	}

	@Test
	public void theSameKeysGiveTheSameSettingsInBothFaces() throws Exception {
		// every field set to something other than its default
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("labeled", CoTrainSettings.FOLDER);
		values.put("images", "a.tif, b.tif");
		values.put("labels", "a-labels, b-labels");
		values.put("dataset", "/data/set");
		values.put("subset", "4");
		values.put("unlabeled", "c.tif");
		values.put("folder", "/data/unlabeled");
		values.put("method", "mn");
		values.put("model2d", "segformer-b0");
		values.put("finetuning", "whole");
		values.put("weights2d", "/models/segformer-b0.safetensors");
		values.put("slicezoom", 3);
		values.put("architecture", "unet3d");
		values.put("preset", "paper");
		values.put("epochs", 7);
		values.put("options", "lr3d=3e-4");
		values.put("output", "/runs/one");
		values.put("resume", true);
		values.put("overwrite", true);
		values.put("skipevaluation", true);
		assertEquals(CoTrainSettings.DESCRIPTOR.keys(), List.copyOf(values.keySet()));
		CoTrainSettings fromMacro = pluginSettings(macroOptions(values));
		assertEquals(sciJavaSettings(values), fromMacro);
		assertTrue(fromMacro.overwrite());
		assertFalse("Skip test evaluation ticked", fromMacro.evaluate());
		assertEquals("mn", fromMacro.method());
		assertEquals(7, fromMacro.epochs());
		assertTrue(fromMacro.resume());
		assertEquals(java.nio.file.Paths.get("/models/segformer-b0.safetensors"), fromMacro.weights2d());
		assertEquals(3, fromMacro.sliceZoom());

		// nothing given: both faces take the descriptor's defaults
		CoTrainSettings defaults = pluginSettings("labeled=[open image pairs]");
		assertEquals(sciJavaSettings(Map.of()), defaults);
		assertEquals(CoTrainSettings.PAIRS, defaults.labeled());
		assertEquals("cpu", defaults.preset());
		assertEquals("all", defaults.subset());
		// the README's recommended M&N (results/validation.md)
		assertEquals("mnv2-imagenet-unet", defaults.model2d());
		assertEquals("lora", defaults.finetuning());
		assertEquals(2, defaults.sliceZoom());
	}

	@Test
	public void coTrainsHelpListsEverySettingTheOptionsFieldTakes() {
		String help = CoTrainSettings.DESCRIPTOR.helpHtml();
		assertTrue(help.contains("<h3>Options</h3>"));
		assertTrue(help, help.contains("<li><tt>views2d=VALUE</tt> [axial]: the orientations the 2-D model reads"));
		assertTrue(help, help.contains("<li><tt>stage-one-fraction=X</tt> [cpu 0.5, paper 0.125]"));
		assertTrue(help.endsWith("</ul></html>"));
		// the field's own description says where to look, and the other commands' pages have no such list
		assertTrue(CoTrainSettings.DESCRIPTOR.parameter("options").description().contains("listed at the end of this Help"));
		assertFalse(SegmentSettings.DESCRIPTOR.helpHtml().contains("<h3>Options</h3>"));
	}

	@Test
	public void keysRecordedByEarlierVersionsStillWork() throws Exception {
		// the ImageJ 1.x dialog of version 0.1 recorded the first word of the label: "2d=" and "fine-tuning="
		CoTrainSettings s = pluginSettings("labeled=folder 2d=segformer-b0 fine-tuning=decoder");
		assertEquals("segformer-b0", s.model2d());
		assertEquals("decoder", s.finetuning());
	}

	@Test
	public void exportTakesTheSameKeysInBothFaces() throws Exception {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("model", "/runs/one/model.mnmodel");
		values.put("volume", "/data/case01.nii.gz");
		values.put("name", "Hippocampus UNet");
		values.put("authors", "A. Person; B. Person");
		values.put("license", "MIT");
		values.put("output", "/models/one.zip");
		values.put("overwrite", true);
		assertEquals(ExportModelSettings.DESCRIPTOR.keys(), List.copyOf(values.keySet()));

		ExportSettings fromMacro = withMacroOptions(macroOptions(values), () -> new ExportPlugin().ask());
		assertEquals(sciJavaSettings(ExportModelCommand.class, values, ExportModelCommand::settings), fromMacro);
		assertEquals(new ExportSettings(Paths.get("/runs/one/model.mnmodel"), Paths.get("/models/one.zip"), null, Paths.get("/data/case01.nii.gz"),
			"Hippocampus UNet", List.of("A. Person", "B. Person"), "MIT", true), fromMacro);

		// only the model given: both faces leave the rest to the exporter's defaults, and never overwrite
		ExportSettings defaults = withMacroOptions("model=[/runs/one/model.mnmodel]", () -> new ExportPlugin().ask());
		assertEquals(sciJavaSettings(ExportModelCommand.class, Map.of("model", "/runs/one/model.mnmodel"), ExportModelCommand::settings), defaults);
		assertEquals(new ExportSettings(Paths.get("/runs/one/model.mnmodel"), null, null, null, null, List.of(), ExportSettings.DEFAULT_LICENSE, false),
			defaults);
	}
}
