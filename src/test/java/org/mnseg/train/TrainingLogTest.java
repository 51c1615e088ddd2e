package org.mnseg.train;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.util.MemoryUsage;

public class TrainingLogTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	@Test
	public void aResumedRunKeepsEarlierRowsAndGivesOldOnesTheMemoryColumns() throws Exception {
		Path run = tmp.newFolder("run").toPath();
		// a log written before the memory columns, by a run stopped after epoch 2
		Files.writeString(run.resolve(TrainingLog.FILE_NAME),
			"model,epoch,loss,lr,elapsed_s,rss_mb\n3d,0,1.0,0.001,10.0,500\n3d,1,0.8,0.001,20.0,510\n3d,2,0.7,0.001,30.0,520\n");
		TrainingLog log = new TrainingLog(run);
		log.resume(2); // the checkpoint holds epoch 2: its row is made again
		log.add(new RunListener.EpochReport("3d", 2, 4, 0.5, 0.001, 31.0, 20.0, new MemoryUsage.Reading(530, 612, 256, 40)));
		List<String> lines = Files.readAllLines(run.resolve(TrainingLog.FILE_NAME));
		assertEquals(List.of(TrainingLog.HEADER, "3d,0,1.0,0.001,10.0,500,,,", "3d,1,0.8,0.001,20.0,510,,,", "3d,2,0.500000,0.00100000,31.0,530,612,256,40"),
			lines);
		assertEquals("the plot's history reads both kinds of row", List.of(0, 1, 2), List.copyOf(TrainingLog.readLosses(run).get("3d").keySet()));
	}
}
