package org.mnseg.bundle;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.mnseg.nn.Network;
import org.mnseg.models.NetworkFactory;
import org.mnseg.pretrained.PretrainedModel;
import org.mnseg.pretrained.WeightsSource;
import org.mnseg.util.Json;
import org.mnseg.util.UserError;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;

import ai.djl.ndarray.NDManager;

/**
 * A trained model as one portable file ({@code .mnmodel}): what the networks are (architecture and
 * hyper-parameters per role, e.g. "3d" and "2d"), their weights, and everything needed to apply them to a new
 * volume the way they were trained (classes, patch size, normalisation, spacing), plus where they came from
 * (preset, data set, split, seed, code version). A network built on a published pretrained file (the TFLite
 * graphs) carries that file too, so the bundle opens on a computer that is offline and has never fetched it.
 */
public final class ModelBundle {
	/** 2: the window settings in one object ({@link BundleInfo#window}); format 1 bundles stay readable. */
	public static final int FORMAT_VERSION = 2;
	public static final String FILE_EXTENSION = ".mnmodel";
	/** The roles a training run stores its networks under: the 3-D model and, for methods with one, the 2-D partner. */
	public static final String ROLE_3D = "3d", ROLE_2D = "2d";
	private static final String INFO = "bundle.json";
	private static final String PRETRAINED = "pretrained/";

	/** One network in the bundle. */
	public record Entry(String architecture, Map<String, Object> config, TensorStore weights) {}

	private final BundleInfo info;
	private final Map<String, Entry> models = new LinkedHashMap<>();
	/** Published pretrained files the networks are built on, by file name. */
	private final Map<String, byte[]> pretrainedFiles = new LinkedHashMap<>();

	public ModelBundle(BundleInfo info) {
		this.info = info;
	}

	public BundleInfo info() {
		return info;
	}

	public void put(String role, Network net) {
		models.put(role, new Entry(net.architecture(), new LinkedHashMap<>(net.config()), TensorStore.of(net.params())));
		// the very file the network was built from (cache, shared folder or the user's weights_file), hash-checked then
		Optional<Network.PretrainedFile> source = net.pretrainedFile();
		if (source.isPresent()) {
			Path file = source.get().path();
			try {
				pretrainedFiles.put(source.get().name(), Files.readAllBytes(file));
			} catch (IOException e) {
				throw new UserError("Cannot read the pretrained file " + file + " to put it in the model bundle: " + e.getMessage(), e);
			}
		}
	}

	/** File names of the pretrained files this bundle carries. */
	public java.util.Set<String> pretrainedFiles() {
		return java.util.Collections.unmodifiableSet(pretrainedFiles.keySet());
	}

	public Map<String, Entry> models() {
		return java.util.Collections.unmodifiableMap(models);
	}

	/** The role {@code mn segment} uses when none is asked for. */
	public String defaultRole() {
		return info.defaultModel != null && models.containsKey(info.defaultModel) ? info.defaultModel : models.keySet().iterator().next();
	}

	/** Builds the network of a role with its trained weights; the caller closes it. */
	public Network instantiate(String role, NDManager parent) {
		Entry e = models.get(role);
		if (e == null) throw new UserError("The model bundle has no '" + role + "' model; it has: " + String.join(", ", models.keySet()) + ".");
		installPretrainedFile(e.architecture(), e.config());
		Network net = NetworkFactory.create(e.architecture(), e.config(), parent, info.seed);
		try {
			e.weights().loadInto(net.params(), "The model bundle's '" + role + "' model");
			// the class names name the outputs: a bundle whose names do not match would label voxels with wrong names
			if (!info.classNames.isEmpty() && info.numClasses() != net.numClasses())
				throw new UserError("The model bundle's '" + role + "' model predicts " + net.numClasses() + " classes but the bundle names "
					+ info.numClasses() + " (" + String.join(", ", info.classNames) + "): the bundle is inconsistent; use the file a training run wrote.");
		} catch (RuntimeException ex) {
			net.close();
			throw ex;
		}
		return net;
	}

	/**
	 * Puts the carried pretrained file of a network built from one (TFLite) into the cache folder (checked), where the
	 * factory finds it. A SegFormer's checkpoint is only where training starts: the bundle holds all its parameters.
	 */
	private void installPretrainedFile(String architecture, Map<String, Object> config) {
		if (!NetworkFactory.buildsFromPretrainedFile(architecture)) return;
		Optional<PretrainedModel> model = NetworkFactory.pretrainedModel(architecture, config);
		byte[] data = model.map(m -> pretrainedFiles.get(m.fileName())).orElse(null);
		if (data != null) WeightsSource.defaults(null).install(model.get(), data);
	}

	/** Writes the bundle atomically; weights that are not all finite are refused, since such a model segments nothing. */
	public void save(Path file) {
		for (Map.Entry<String, Entry> m : models.entrySet())
			m.getValue().weights().requireFinite("Refusing to write the model bundle " + file + ": its '" + m.getKey() + "' model");
		toContainer().write(file);
	}

	ZipContainer toContainer() {
		ZipContainer zip = new ZipContainer();
		JsonObject doc = Json.GSON.toJsonTree(info).getAsJsonObject();
		JsonObject roles = new JsonObject();
		for (Map.Entry<String, Entry> m : models.entrySet()) {
			JsonObject o = new JsonObject();
			o.addProperty("architecture", m.getValue().architecture());
			o.add("config", Json.GSON.toJsonTree(m.getValue().config()));
			roles.add(m.getKey(), o);
			zip.putTensors("models/" + m.getKey(), m.getValue().weights());
		}
		for (Map.Entry<String, byte[]> f : pretrainedFiles.entrySet()) zip.putBytes(PRETRAINED + f.getKey(), f.getValue());
		doc.add("models", roles);
		zip.putJson(INFO, doc);
		return zip;
	}

	public static ModelBundle load(Path file) {
		return fromContainer(ZipContainer.read(file, "model bundle"), file);
	}

	static ModelBundle fromContainer(ZipContainer zip, Path file) {
		JsonElement docEl = zip.json(INFO);
		if (docEl == null) throw new UserError(file + " has no " + INFO + ": it is not an M&N model bundle.");
		JsonObject doc = docEl.getAsJsonObject();
		BundleInfo info = Json.GSON.fromJson(doc, BundleInfo.class);
		if (info.formatVersion > FORMAT_VERSION)
			throw new UserError(file + " was written by a newer M&N (bundle format " + info.formatVersion + "); update the plugin to read it.");
		ModelBundle b = new ModelBundle(info);
		Type mapType = new TypeToken<Map<String, Object>>() {}.getType();
		JsonObject roles = doc.getAsJsonObject("models");
		if (roles == null || roles.size() == 0) throw new UserError(file + " holds no model.");
		for (Map.Entry<String, JsonElement> r : roles.entrySet()) {
			JsonObject o = r.getValue().getAsJsonObject();
			TensorStore w = zip.tensors("models/" + r.getKey());
			if (w == null) throw new UserError(file + " lacks the weights of its '" + r.getKey() + "' model; the file is incomplete.");
			w.requireFinite("The model bundle " + file + " is damaged and cannot be used: its '" + r.getKey() + "' model");
			Map<String, Object> config = Json.GSON.fromJson(o.get("config"), mapType);
			b.models.put(r.getKey(), new Entry(o.get("architecture").getAsString(), config, w));
		}
		for (String name : zip.byteEntries())
			if (name.startsWith(PRETRAINED)) b.pretrainedFiles.put(name.substring(PRETRAINED.length()), zip.bytes(name));
		return b;
	}
}
