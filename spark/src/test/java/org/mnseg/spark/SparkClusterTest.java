package org.mnseg.spark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.Test;
import org.mnseg.io.VolumeIO;
import org.mnseg.workflow.SegmentWorkflow;

/**
 * The job on a real, if small, Spark cluster: {@code local-cluster[2,1,2048]} starts a standalone master and two
 * workers, whose executors are JVMs of their own, launched as a cluster launches them. So the bundle travels by
 * {@code addFile}, the partitions by serialization, and each executor reads the bundle once: what
 * {@code spark-submit} to a standalone, YARN or Kubernetes cluster relies on. Output equals the command line's.
 */
public class SparkClusterTest {
	@Test
	public void twoExecutorJvmsSegmentLikeTheCommandLine() throws Exception {
		String home = System.getenv("SPARK_HOME");
		assumeTrue("skipped: SPARK_HOME is not set (run through mvn -f spark/pom.xml test, which sets it)", home != null);
		// the Spark home a worker builds executor commands from: a RELEASE marker and jars/ (empty: the class path
		// comes from spark.executor.extraClassPath, the test's own)
		Files.createDirectories(Paths.get(home, "jars"));
		Files.writeString(Paths.get(home, "RELEASE"), "laid out by SparkClusterTest\n");
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

		Path work = Files.createTempDirectory("mn-spark-cluster");
		Path cli = work.resolve("cli"), cluster = work.resolve("cluster");
		SparkSegmentTest.Fixture f = SparkSegmentTest.fixture();
		assertEquals(0, SparkSegmentTest.callCli("segment", "--model", f.model(), "--input", f.cohort(), "--output", cli));
		SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,2048]").setAppName("mn segment cluster test")
			.set("spark.executor.extraClassPath", classPath).set("spark.executor.memory", "1500m");
		SparkSegment.Summary s;
		try (JavaSparkContext sc = new JavaSparkContext(conf)) {
			s = SparkSegment.segment(sc, f.model(), SegmentWorkflow.inputs(f.cohort()), cluster, false, 4, null);
		}
		assertEquals(0, s.failed());
		assertEquals(10, s.outcomes().size());
		assertEquals(10, s.outcomes().stream().map(SparkSegment.Outcome::input).distinct().count());
		Set<String> executors = new HashSet<>();
		s.outcomes().forEach(o -> executors.add(o.executor()));
		assertTrue("executors " + executors, executors.stream().allMatch(e -> e.equals("0") || e.equals("1")));
		// four partitions on two executors: each executor JVM read the bundle once
		s.outcomes().forEach(o -> assertEquals(o.toString(), 1, o.executorBundleLoads()));
		for (File c : cli.toFile().listFiles())
			assertArrayEquals(c.getName(), VolumeIO.readLabels(c.toPath()).data(), VolumeIO.readLabels(cluster.resolve(c.getName())).data());
	}
}
