package org.mnseg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import org.mnseg.bundle.ModelBundle;
import org.mnseg.inference.Segmenter;
import org.mnseg.io.VolumeIO;
import org.mnseg.nn.EngineThreads;
import org.mnseg.util.MemoryUsage;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

import ai.djl.Device;

/**
 * Tells where a segmenting process's resident memory goes, for the soak (docs/reliability.md): segments the volumes
 * of a folder in a loop, one process, and every {@code every} volumes prints resident memory, the direct buffers'
 * bytes and glibc's own account (its arenas, the part in use, the part free but kept), then calls glibc's
 * {@code malloc_trim} and prints what that gave back. Run it once as is and once with {@code -XX:+AlwaysPreTouch}:
 * memory that grows only without pre-touching is the Java heap touched for the first time, not a leak.
 * Usage: {@code MemoryProbe MODEL FOLDER VOLUMES EVERY}. Linux with glibc only.
 */
public final class MemoryProbe {
	private MemoryProbe() {}

	/** glibc's mallinfo2 (2.33 and later): byte counts summed over all arenas. */
	public static class MallInfo2 extends Structure {
		public long arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;

		@Override
		protected List<String> getFieldOrder() {
			return List.of("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost");
		}

		public static class ByValue extends MallInfo2 implements Structure.ByValue {}
	}

	interface GlibcMalloc extends Library {
		MallInfo2.ByValue mallinfo2();

		int malloc_trim(long pad);
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 4) {
			System.err.println("usage: MemoryProbe MODEL FOLDER VOLUMES EVERY");
			System.exit(2);
		}
		Path model = Paths.get(args[0]);
		int volumes = Integer.parseInt(args[2]), every = Integer.parseInt(args[3]);
		List<Path> files;
		try (Stream<Path> s = Files.list(Paths.get(args[1]))) {
			files = s.filter(VolumeIO::isVolumeFile).sorted().toList();
		}
		GlibcMalloc glibc = Native.load("c", GlibcMalloc.class);
		EngineThreads.prepare();
		ModelBundle bundle = ModelBundle.load(model);
		System.out.println("| volumes | seconds | resident MB | direct buffers MB | glibc arenas MB | in use MB | free, kept MB | after malloc_trim MB |");
		System.out.println("|---|---|---|---|---|---|---|---|");
		try (Segmenter segmenter = new Segmenter(bundle, null, Device.cpu(), Segmenter.defaultWindow(bundle.info()))) {
			long t0 = System.nanoTime();
			for (int i = 1; i <= volumes; i++) {
				segmenter.segment(VolumeIO.readImage(files.get((i - 1) % files.size())));
				if (i % every != 0) continue;
				MallInfo2 m = glibc.mallinfo2();
				double rss = MemoryUsage.rssMb();
				glibc.malloc_trim(0);
				System.out.printf("| %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", i, (System.nanoTime() - t0) / 1e9, rss,
					MemoryUsage.directBytesInUse() / 1048576.0, m.arena / 1048576.0, m.uordblks / 1048576.0, m.fordblks / 1048576.0,
					MemoryUsage.rssMb());
			}
		}
	}
}
