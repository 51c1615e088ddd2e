package org.mnseg;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;
import org.mnseg.cli.Main;

/**
 * Rules of the source layout that the compiler does not check: the packages of the plugin form no cycle (each can be
 * read and changed knowing only the ones below it), and the plugin jar holds no developer tool (those live in
 * {@code src/tools/java}) and one entry point, the command line.
 */
public class ArchitectureTest {
	private static final Path MAIN = Paths.get("src/main/java");
	private static final Path TOOLS = Paths.get("src/tools/java");
	/** A reference to a project class, by import or fully qualified in the code: its package is the lower-case part. */
	private static final Pattern REFERENCE = Pattern.compile("\\b(org\\.mnseg(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");
	private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

	@Test
	public void mainPackagesFormNoCycle() throws IOException {
		// package -> package it uses -> a file that makes the use (for the failure message)
		Map<String, Map<String, String>> uses = new TreeMap<>();
		try (Stream<Path> files = Files.walk(MAIN)) {
			for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
				String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
				Map<String, String> out = uses.computeIfAbsent(pkg, k -> new TreeMap<>());
				Matcher m = REFERENCE.matcher(COMMENTS.matcher(Files.readString(f)).replaceAll(""));
				while (m.find())
					if (!m.group(1).equals(pkg)) out.putIfAbsent(m.group(1), f.getFileName().toString());
			}
		}
		assertTrue("no packages found under " + MAIN.toAbsolutePath(), uses.size() > 10);
		List<String> cycles = new ArrayList<>();
		for (Set<String> component : stronglyConnected(uses))
			if (component.size() > 1) {
				StringBuilder sb = new StringBuilder(String.join(" <-> ", component)).append(" (");
				for (String a : component)
					for (String b : component)
						if (uses.get(a).containsKey(b)) sb.append(a).append(" uses ").append(b).append(" in ").append(uses.get(a).get(b)).append("; ");
				cycles.add(sb.append(")").toString());
			}
		assertEquals("package cycles: " + cycles, List.of(), cycles);
	}

	/** Tarjan's algorithm: the strongly connected components of the package graph. */
	private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> graph) {
		Map<String, Integer> index = new HashMap<>();
		Map<String, Integer> low = new HashMap<>();
		Deque<String> stack = new ArrayDeque<>();
		List<Set<String>> components = new ArrayList<>();
		for (String v : graph.keySet())
			if (!index.containsKey(v)) visit(v, graph, index, low, stack, components);
		return components;
	}

	private static void visit(String v, Map<String, Map<String, String>> graph, Map<String, Integer> index, Map<String, Integer> low,
			Deque<String> stack, List<Set<String>> components) {
		index.put(v, index.size());
		low.put(v, index.get(v));
		stack.push(v);
		for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
			if (!index.containsKey(w)) {
				visit(w, graph, index, low, stack, components);
				low.put(v, Math.min(low.get(v), low.get(w)));
			} else if (stack.contains(w)) {
				low.put(v, Math.min(low.get(v), index.get(w)));
			}
		}
		if (low.get(v).equals(index.get(v))) {
			Set<String> component = new TreeSet<>();
			String w;
			do {
				w = stack.pop();
				component.add(w);
			} while (!w.equals(v));
			components.add(component);
		}
	}

	@Test
	public void pluginJarHoldsNoToolAndOneEntryPoint() throws Exception {
		// target/classes is what the jar plugin packs into the plugin jar
		Path classes = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Set<String> tools = new TreeSet<>();
		try (Stream<Path> files = Files.walk(TOOLS)) {
			files.filter(p -> p.toString().endsWith(".java"))
					.forEach(p -> tools.add(TOOLS.relativize(p).toString().replace('/', '.').replaceAll("\\.java$", "")));
		}
		assertTrue("no tools found under " + TOOLS.toAbsolutePath(), tools.contains("org.mnseg.bench.EngineSpeedBenchmark"));
		List<String> shipped = new ArrayList<>();
		try (Stream<Path> files = Files.walk(classes)) {
			files.filter(p -> p.toString().endsWith(".class"))
					.forEach(p -> shipped.add(classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "")));
		}
		assertTrue("no classes found in " + classes, shipped.contains(Main.class.getName()));
		List<String> toolsShipped = new ArrayList<>();
		List<String> entryPoints = new ArrayList<>();
		for (String name : shipped) {
			if (tools.contains(name.replaceAll("\\$.*", ""))) toolsShipped.add(name);
			Class<?> c = Class.forName(name, false, getClass().getClassLoader());
			for (Method m : c.getDeclaredMethods())
				if (m.getName().equals("main") && Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers()))
					entryPoints.add(name);
		}
		assertEquals("tool classes in " + classes, List.of(), toolsShipped);
		assertEquals("entry points in " + classes, List.of(Main.class.getName()), entryPoints);
	}
}
