package org.mnseg.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mnseg.finetune.FineTunedNetwork;
import org.mnseg.finetune.FineTuner;
import org.mnseg.finetune.FineTuning;
import org.mnseg.models.NetworkFactory;
import org.mnseg.nn.FineTunable;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;

import ai.djl.ndarray.NDManager;

/**
 * How many parameters a fine-tuning strategy trains, in total and per part, read from the trainable flags of a
 * network that the strategy was applied to. Fixed parameters (running statistics, an unused original classifier)
 * are counted apart and not in the total, as PyTorch would not count them among a segmenter's parameters.
 *
 * <p>{@link #main} prints the table for the project's 2-D networks: {@code scripts/run-tool org.mnseg.bench.TrainableReport
 * [num_classes [architecture ...]]}.
 */
public final class TrainableReport {
	/** The architectures {@link #main} reports by default. */
	public static final List<String> DEFAULT_ARCHITECTURES = List.of("segformer-b0", "segformer-b2",
			"deeplabv3plus-mnv2-ade20k", "mnv2-imagenet-unet");

	/** A group of parameters in the report. */
	public enum Group {
		ENCODER("Encoder"), DECODER("Decoder"), HEAD("Head"), ADAPTERS("LoRA adapters"), FIXED("Fixed");

		private final String title;

		Group(String title) {
			this.title = title;
		}

		public String title() {
			return title;
		}
	}

	/** Numbers of scalar parameters. */
	public record Count(long total, long trainable) {
		Count plus(Param p) {
			long n = p.array().size();
			return new Count(total + n, trainable + (p.trainable() ? n : 0));
		}
	}

	private final String architecture;
	private final FineTuning settings;
	private final Map<Group, Count> groups;

	private TrainableReport(String architecture, FineTuning settings, Map<Group, Count> groups) {
		this.architecture = architecture;
		this.settings = settings;
		this.groups = groups;
	}

	/** Counts a fine-tuned network's parameters by part, as its flags stand now. */
	public static TrainableReport of(FineTunedNetwork network) {
		Map<Group, Count> groups = new EnumMap<>(Group.class);
		for (Group g : Group.values())
			groups.put(g, new Count(0, 0));
		FineTunable base = network.base();
		for (Param p : base.params())
			groups.merge(Group.valueOf(base.part(p).name()), new Count(0, 0).plus(p), TrainableReport::sum);
		for (Param p : network.adapterParams())
			groups.merge(Group.ADAPTERS, new Count(0, 0).plus(p), TrainableReport::sum);
		return new TrainableReport(network.architecture(), network.settings(), groups);
	}

	private static Count sum(Count a, Count b) {
		return new Count(a.total() + b.total(), a.trainable() + b.trainable());
	}

	/**
	 * Builds each architecture once per strategy (randomly initialised where the architecture allows; the counts do
	 * not depend on the weights), applies the strategy with the default LoRA settings and counts.
	 */
	public static List<TrainableReport> forArchitectures(List<String> architectures, int numClasses, NDManager parent) {
		List<TrainableReport> reports = new ArrayList<>();
		for (String architecture : architectures) {
			for (FineTuning.Strategy strategy : FineTuning.Strategy.values()) {
				Network net = NetworkFactory.create(architecture, Map.of("num_classes", numClasses), parent, 0);
				try (FineTunedNetwork tuned = FineTuner.apply(net, FineTuning.of(strategy), 0)) {
					reports.add(of(tuned));
				}
			}
		}
		return reports;
	}

	public String architecture() {
		return architecture;
	}

	public FineTuning settings() {
		return settings;
	}

	public Count count(Group group) {
		return groups.get(group);
	}

	/** All parameters but the fixed ones, adapters included. */
	public Count total() {
		Count c = new Count(0, 0);
		for (Map.Entry<Group, Count> e : groups.entrySet())
			if (e.getKey() != Group.FIXED)
				c = sum(c, e.getValue());
		return c;
	}

	/** A Markdown table with one row per report: totals, then trainable / total per group. */
	public static String markdown(List<TrainableReport> reports) {
		StringBuilder sb = new StringBuilder();
		List<String> header = new ArrayList<>(List.of("Network", "Strategy", "Parameters", "Trainable", "Trainable %"));
		for (Group g : Group.values())
			header.add(g.title() + " (trainable / all)");
		row(sb, header);
		row(sb, header.stream().map(h -> h.equals("Network") || h.equals("Strategy") ? "---" : "---:").toList());
		for (TrainableReport r : reports) {
			Count t = r.total();
			List<String> cells = new ArrayList<>(Arrays.asList(r.architecture, r.settings.strategy().key(),
					number(t.total()), number(t.trainable()),
					String.format(Locale.ROOT, "%.2f", 100.0 * t.trainable() / Math.max(1, t.total()))));
			for (Group g : Group.values()) {
				Count c = r.count(g);
				cells.add(c.total() == 0 ? "-" : number(c.trainable()) + " / " + number(c.total()));
			}
			row(sb, cells);
		}
		return sb.toString();
	}

	private static void row(StringBuilder sb, List<String> cells) {
		sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
	}

	private static String number(long n) {
		return String.format(Locale.ROOT, "%,d", n);
	}

	/** Prints the table: optional arguments are the number of classes (default 2) and the architectures. */
	public static void main(String[] args) {
		int numClasses = args.length > 0 ? Integer.parseInt(args[0]) : 2;
		List<String> architectures = args.length > 1 ? Arrays.asList(args).subList(1, args.length)
				: DEFAULT_ARCHITECTURES;
		try (NDManager m = NDManager.newBaseManager()) {
			System.out.print(markdown(forArchitectures(architectures, numClasses, m)));
		}
	}
}
