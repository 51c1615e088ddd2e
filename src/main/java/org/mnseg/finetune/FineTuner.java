package org.mnseg.finetune;

import java.util.LinkedHashMap;
import java.util.Map;

import org.mnseg.nn.AdaptableLayer;
import org.mnseg.nn.FineTunable;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;
import org.mnseg.util.UserError;

/**
 * Applies a fine-tuning strategy to a pretrained 2-D network, rebuilds that structure from a configuration, and
 * merges adapters for inference.
 *
 * <p>Typical use: build the network, load its pretrained weights, {@link #apply} the settings, train
 * {@code params()} with AdamW (it skips frozen parameters), then {@link #prepareForSaving} and put the network in the
 * bundle. {@code NetworkFactory} calls {@link #restore} when a configuration has a {@link FineTuning#CONFIG_KEY}
 * entry.
 */
public final class FineTuner {
	private FineTuner() {
	}

	/**
	 * Sets every parameter's trainable flag as the strategy says and, for LoRA, attaches an adapter to each of the
	 * network's LoRA targets (A drawn from {@code seed}, B zero, so the output is unchanged until training moves B).
	 *
	 * @throws UserError for a network that is not fine-tunable (the 3-D UNet is trained from scratch)
	 * @throws IllegalStateException if the network already carries adapters
	 */
	public static FineTunedNetwork apply(Network network, FineTuning settings, long seed) {
		return adapt(network, settings, seed, false);
	}

	/**
	 * Re-creates the fine-tuning structure a configuration entry describes (see {@link FineTunedNetwork#config()}),
	 * before weights are loaded: the adapters (unless they were merged) and the trainable flags.
	 *
	 * @param entry the value of the {@link FineTuning#CONFIG_KEY} entry (a map, possibly parsed from JSON)
	 * @throws UserError for a malformed entry or a network that is not fine-tunable
	 */
	public static FineTunedNetwork restore(Network network, Object entry, long seed) {
		if (!(entry instanceof Map))
			throw new UserError("The '" + FineTuning.CONFIG_KEY + "' entry of network " + network.architecture()
					+ " must be a map of fine-tuning options, got " + entry);
		Map<String, Object> options = new LinkedHashMap<>();
		for (Map.Entry<?, ?> e : ((Map<?, ?>) entry).entrySet())
			options.put(String.valueOf(e.getKey()), e.getValue());
		Object merged = options.remove(FineTunedNetwork.MERGED);
		String what = "the configuration of network " + network.architecture();
		return adapt(network, FineTuning.fromMap(options, what), seed, Boolean.TRUE.equals(merged)
				|| "true".equals(String.valueOf(merged)));
	}

	/**
	 * Folds LoRA adapters into the base weights if {@code network} carries any (see
	 * {@link FineTunedNetwork#mergeAdapters()}); returns the network.
	 */
	public static Network mergeAdapters(Network network) {
		if (network instanceof FineTunedNetwork)
			((FineTunedNetwork) network).mergeAdapters();
		return network;
	}

	/** Merges the adapters if the network's settings ask for it ({@link FineTuning#mergeForInference()}). */
	public static Network prepareForSaving(Network network) {
		if (network instanceof FineTunedNetwork && ((FineTunedNetwork) network).settings().mergeForInference())
			((FineTunedNetwork) network).mergeAdapters();
		return network;
	}

	private static FineTunedNetwork adapt(Network network, FineTuning settings, long seed, boolean merged) {
		if (network instanceof FineTunedNetwork)
			throw new IllegalStateException("The network is already prepared for fine-tuning");
		if (!(network instanceof FineTunable))
			throw new UserError("Network " + network.architecture() + " cannot be fine-tuned: fine-tuning strategies ("
					+ FineTuning.Strategy.keys() + ") apply to the pretrained 2-D networks; remove the '"
					+ FineTuning.CONFIG_KEY + "' option");
		FineTunable net = (FineTunable) network;
		for (AdaptableLayer layer : net.loraTargets())
			if (layer.hasAdapter())
				throw new IllegalStateException("Layer " + layer.name() + " already carries an adapter");
		for (Param p : net.params())
			p.setTrainable(settings.strategy().trains(net, p));
		if (settings.usesAdapters() && !merged)
			for (AdaptableLayer layer : net.loraTargets())
				layer.attachAdapter(settings.rank(), settings.alpha(), settings.dropout(), net.manager(), seed);
		return new FineTunedNetwork(net, settings, merged && settings.usesAdapters());
	}
}
