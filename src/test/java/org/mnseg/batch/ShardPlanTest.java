package org.mnseg.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.Test;
import org.mnseg.util.UserError;

public class ShardPlanTest {
	/** Files named v000.. with random sizes spanning two orders of magnitude (as mixed scanners give). */
	private static Map<Path, Long> cohort(int n, long seed) {
		Random rng = new Random(seed);
		Map<Path, Long> sizes = new HashMap<>();
		for (int i = 0; i < n; i++) sizes.put(Paths.get(String.format("/data/v%03d.nii.gz", i)), 1000L + rng.nextInt(100_000));
		return sizes;
	}

	@Test
	public void everyVolumeIsInExactlyOnePartForAnyCount() {
		for (int files : new int[] { 1, 7, 64, 200 }) {
			Map<Path, Long> sizes = cohort(files, files);
			List<Path> list = new ArrayList<>(sizes.keySet());
			Collections.sort(list);
			for (int n = 1; n <= files + 3; n += n < 12 ? 1 : 17) {
				ShardPlan plan = ShardPlan.of(list, sizes::get, n);
				List<Path> all = new ArrayList<>();
				for (int i = 0; i < n; i++) all.addAll(plan.part(new Shard(i, n)));
				assertEquals(files + " files in " + n + " parts", list.size(), all.size());
				assertEquals(files + " files in " + n + " parts", new HashSet<>(list), new HashSet<>(all));
			}
		}
	}

	@Test
	public void partsAreBalancedByVoxelsWithinOneVolume() {
		Map<Path, Long> sizes = cohort(200, 3);
		List<Path> list = new ArrayList<>(sizes.keySet());
		long largest = Collections.max(sizes.values());
		for (int n : new int[] { 2, 4, 7, 16, 50 }) {
			ShardPlan plan = ShardPlan.of(list, sizes::get, n);
			long min = Long.MAX_VALUE, max = 0;
			for (int i = 0; i < n; i++) {
				long sum = plan.part(new Shard(i, n)).stream().mapToLong(sizes::get).sum();
				assertEquals(sum, plan.voxels(i));
				min = Math.min(min, sum);
				max = Math.max(max, sum);
			}
			assertTrue(n + " parts: spread " + (max - min) + " > largest volume " + largest, max - min <= largest);
		}
		// balanced by voxels, not by files: one huge volume gets a part of its own
		Map<Path, Long> skewed = new HashMap<>();
		for (int i = 0; i < 6; i++) skewed.put(Paths.get("s" + i), 10L);
		skewed.put(Paths.get("huge"), 1000L);
		ShardPlan plan = ShardPlan.of(new ArrayList<>(skewed.keySet()), skewed::get, 2);
		assertEquals(List.of(Paths.get("huge")), plan.part(new Shard(0, 2)));
		assertEquals(6, plan.part(new Shard(1, 2)).size());
	}

	@Test
	public void thePlanDependsOnlyOnTheFilesAndSizesNotOnTheirOrder() {
		Map<Path, Long> sizes = cohort(50, 9);
		// equal sizes too, so that ties must be broken by path
		sizes.replaceAll((p, v) -> v / 20_000);
		List<Path> list = new ArrayList<>(sizes.keySet());
		Collections.sort(list);
		ShardPlan reference = ShardPlan.of(list, sizes::get, 6);
		for (long seed = 0; seed < 5; seed++) {
			List<Path> shuffled = new ArrayList<>(list);
			Collections.shuffle(shuffled, new Random(seed));
			ShardPlan plan = ShardPlan.of(shuffled, sizes::get, 6);
			for (int i = 0; i < 6; i++)
				assertEquals(new HashSet<>(reference.part(new Shard(i, 6))), new HashSet<>(plan.part(new Shard(i, 6))));
		}
		// within a part, the input's order
		List<Path> part = reference.part(new Shard(2, 6));
		List<Path> sorted = new ArrayList<>(part);
		Collections.sort(sorted);
		assertEquals(sorted, part);
	}

	@Test
	public void shardSpecIsValidatedWithOneLine() {
		assertEquals(new Shard(3, 100), Shard.parse("3/100"));
		assertEquals(new Shard(0, 1), Shard.parse(" 0 / 1 "));
		Set<String> bad = Set.of("100/100", "-1/4", "4", "a/b", "1/0", "1/2/3", "", "1/");
		for (String b : bad) {
			try {
				Shard.parse(b);
				fail(b);
			}
			catch (UserError e) {
				assertTrue(e.getMessage(), e.getMessage().contains("I/N") && e.getMessage().contains("'" + b + "'") && !e.getMessage().contains("\n"));
			}
		}
	}
}
