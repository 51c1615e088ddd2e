package org.mnseg.finetune;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.mnseg.nn.FineTunable;
import org.mnseg.nn.Param;
import org.mnseg.util.OptionMap;
import org.mnseg.util.UserError;

/**
 * How a pretrained 2-D network is fine-tuned: the strategy and, for LoRA, the adapters' rank, alpha (the update is
 * scaled by alpha / rank) and dropout, and whether the adapters are folded into the base weights before the model is
 * saved for inference. The defaults are the reference code's: LoRA, rank 64, alpha 64, dropout 0.1, not merged.
 *
 * <p>Its map form ({@link #toMap}, {@link #fromMap}) is what a network's {@code config()} records under
 * {@link #CONFIG_KEY}, so that a bundle rebuilds the adapters before loading their weights.
 */
public record FineTuning(Strategy strategy, int rank, double alpha, double dropout, boolean mergeForInference) {
	/** The key of the fine-tuning entry in a network's configuration map. */
	public static final String CONFIG_KEY = "fine_tuning";
	public static final int DEFAULT_RANK = 64;
	public static final double DEFAULT_ALPHA = 64;
	public static final double DEFAULT_DROPOUT = 0.1;

	private static final String STRATEGY = "strategy";
	private static final String RANK = "rank";
	private static final String ALPHA = "alpha";
	private static final String DROPOUT = "dropout";
	private static final String MERGE = "merge_for_inference";
	private static final Set<String> KEYS = Set.of(STRATEGY, RANK, ALPHA, DROPOUT, MERGE);

	/** Which parameters a strategy trains. FIXED parameters ({@link FineTunable.Part#FIXED}) are never trained. */
	public enum Strategy {
		/**
		 * The reference code's PEFT setting: LoRA adapters on the network's targets, every bias, the encoder's
		 * normalisation layers and the head trained (and a newly initialised decoder); all other weights frozen.
		 */
		LORA("lora"),
		/** Encoder frozen; decoder and head trained. */
		DECODER("decoder"),
		/** Every parameter trained. */
		WHOLE("whole");

		private final String key;

		Strategy(String key) {
			this.key = key;
		}

		/** The name users type and configurations record. */
		public String key() {
			return key;
		}

		/** Whether this strategy trains a base parameter of {@code network} (adapters are always trained). */
		public boolean trains(FineTunable network, Param param) {
			FineTunable.Part part = network.part(param);
			if (part == FineTunable.Part.FIXED)
				return false;
			switch (this) {
				case WHOLE:
					return true;
				case DECODER:
					return part != FineTunable.Part.ENCODER;
				default:
					return part == FineTunable.Part.HEAD
							|| part == FineTunable.Part.DECODER && !network.hasPretrainedDecoder()
							|| part == FineTunable.Part.ENCODER && network.isNormalization(param)
							|| network.isBias(param);
			}
		}

		/**
		 * @throws UserError naming the choices for an unknown name
		 */
		public static Strategy parse(String name) {
			String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
			for (Strategy s : values())
				if (s.key.equals(n))
					return s;
			throw new UserError("Unknown fine-tuning strategy '" + name + "': use one of " + keys());
		}

		static String keys() {
			return Arrays.stream(values()).map(Strategy::key).toList().toString();
		}
	}

	/**
	 * @throws UserError for a rank below 1, a non-positive alpha or a dropout outside [0, 1)
	 */
	public FineTuning {
		if (strategy == null)
			throw new UserError("A fine-tuning strategy is needed: use one of " + Strategy.keys());
		if (rank < 1)
			throw new UserError("The LoRA rank must be at least 1, got " + rank + " (the reference code uses "
					+ DEFAULT_RANK + ")");
		if (!(alpha > 0) || Double.isInfinite(alpha))
			throw new UserError("The LoRA alpha must be a positive number, got " + alpha + " (the reference code uses "
					+ DEFAULT_ALPHA + ")");
		if (!(dropout >= 0 && dropout < 1))
			throw new UserError("The LoRA dropout must be at least 0 and below 1, got " + dropout
					+ " (the reference code uses " + DEFAULT_DROPOUT + ")");
	}

	/** The reference code's setting: LoRA with rank 64, alpha 64, dropout 0.1, adapters kept separate. */
	public static FineTuning defaults() {
		return of(Strategy.LORA);
	}

	/** A strategy with the default LoRA settings. */
	public static FineTuning of(Strategy strategy) {
		return new FineTuning(strategy, DEFAULT_RANK, DEFAULT_ALPHA, DEFAULT_DROPOUT, false);
	}

	/** The same settings with the adapters merged (or not) before saving for inference. */
	public FineTuning withMergeForInference(boolean merge) {
		return new FineTuning(strategy, rank, alpha, dropout, merge);
	}

	/** Whether the strategy attaches LoRA adapters. */
	public boolean usesAdapters() {
		return strategy == Strategy.LORA;
	}

	/** The factor of the adapters' update, alpha / rank. */
	public double scale() {
		return alpha / rank;
	}

	/** The map form recorded in network configurations and bundles. */
	public Map<String, Object> toMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put(STRATEGY, strategy.key());
		m.put(RANK, rank);
		m.put(ALPHA, alpha);
		m.put(DROPOUT, dropout);
		m.put(MERGE, mergeForInference);
		return m;
	}

	/**
	 * Settings from a map (a configuration, JSON or user options: numbers and flags may be strings); absent keys take
	 * the defaults.
	 *
	 * @param what names the source in messages, e.g. {@code the --fine-tune options}
	 * @throws UserError for unknown keys or malformed or invalid values
	 */
	public static FineTuning fromMap(Map<String, ?> map, String what) {
		OptionMap o = new OptionMap(map, "the fine-tuning settings in " + what).requireKnown(KEYS);
		Strategy strategy = o.has(STRATEGY) ? Strategy.parse(o.string(STRATEGY, null)) : Strategy.LORA;
		return new FineTuning(strategy, o.integer(RANK, DEFAULT_RANK), o.number(ALPHA, DEFAULT_ALPHA), o.number(DROPOUT, DEFAULT_DROPOUT),
				o.flag(MERGE, false));
	}
}
