package org.mnseg.finetune;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mnseg.nn.AdaptableLayer;
import org.mnseg.nn.FineTunable;
import org.mnseg.nn.Network;
import org.mnseg.nn.Param;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A pretrained network prepared for fine-tuning by {@link FineTuner}: its parameters carry the strategy's trainable
 * flags, and with LoRA its target layers carry adapters. The adapters live inside the network's layers, so
 * {@link #forward} is the network's own; this wrapper adds what the rest of the program needs to see them:
 * {@link #params()} lists the adapters' {@code <layer>.lora_A} and {@code <layer>.lora_B} after the network's own
 * parameters (so the optimiser trains them and bundles save them), and {@link #config()} records the settings under
 * {@link FineTuning#CONFIG_KEY} (so {@code NetworkFactory} rebuilds the adapters before a bundle's weights load).
 *
 * <p>After {@link #mergeAdapters()} the adapters are folded into the base weights: the configuration then records
 * {@code "merged": true} and a rebuilt network has no adapters.
 */
public final class FineTunedNetwork implements Network {
	/** Key added to the fine-tuning entry of {@link #config()} once the adapters are merged. */
	static final String MERGED = "merged";

	private final FineTunable base;
	private final FineTuning settings;
	private boolean merged;

	FineTunedNetwork(FineTunable base, FineTuning settings, boolean merged) {
		this.base = base;
		this.settings = settings;
		this.merged = merged;
	}

	/** The adapted network (e.g. to load pretrained weights into a SegFormer it wraps). */
	public FineTunable base() {
		return base;
	}

	public FineTuning settings() {
		return settings;
	}

	/** Whether the adapters have been folded into the base weights. */
	public boolean adaptersMerged() {
		return merged;
	}

	/** The layers that currently carry an adapter (none after merging, none for strategies without LoRA). */
	public List<AdaptableLayer> adaptedLayers() {
		List<AdaptableLayer> layers = new ArrayList<>();
		for (AdaptableLayer layer : base.loraTargets())
			if (layer.hasAdapter())
				layers.add(layer);
		return layers;
	}

	/** The adapters' parameters, layer by layer (A, then B). */
	public List<Param> adapterParams() {
		List<Param> params = new ArrayList<>();
		for (AdaptableLayer layer : adaptedLayers())
			params.addAll(layer.adapterParams());
		return params;
	}

	/**
	 * Folds every adapter into its layer's weight (W += alpha / rank * B A) and removes it: the network then computes
	 * the same function at the cost of the plain one. Call it after training: an optimiser that holds the adapters'
	 * parameters must not step again. Does nothing when there is nothing to merge.
	 */
	public void mergeAdapters() {
		for (AdaptableLayer layer : adaptedLayers())
			layer.mergeAdapter();
		if (settings.usesAdapters())
			merged = true;
	}

	@Override
	public String architecture() {
		return base.architecture();
	}

	@Override
	public Optional<PretrainedFile> pretrainedFile() {
		return base.pretrainedFile();
	}

	@Override
	public Map<String, Object> config() {
		Map<String, Object> c = new LinkedHashMap<>(base.config());
		Map<String, Object> ft = settings.toMap();
		if (merged)
			ft.put(MERGED, true);
		c.put(FineTuning.CONFIG_KEY, ft);
		return Collections.unmodifiableMap(c);
	}

	@Override
	public int spatialDims() {
		return base.spatialDims();
	}

	/** LoRA's dropout draws per element: the base network decides. */
	@Override
	public boolean samplesIndependentInTraining() {
		return base.samplesIndependentInTraining();
	}

	@Override
	public int inChannels() {
		return base.inChannels();
	}

	@Override
	public int numClasses() {
		return base.numClasses();
	}

	@Override
	public NDArray forward(NDArray input, boolean training) {
		return base.forward(input, training);
	}

	@Override
	public List<Param> params() {
		List<Param> all = new ArrayList<>(base.params());
		all.addAll(adapterParams());
		return Collections.unmodifiableList(all);
	}

	@Override
	public NDManager manager() {
		return base.manager();
	}

	@Override
	public void close() {
		base.close();
	}
}
