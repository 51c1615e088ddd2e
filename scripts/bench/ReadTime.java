import java.nio.file.Paths;

import org.mnseg.data.Normalization;
import org.mnseg.data.Sample;
import org.mnseg.dataset.Case;
import org.mnseg.dataset.DatasetSpec;

/**
 * How long a run spends reading its data: every training volume of a data set read and normalised (z-score, as MRI)
 * the way a run reads it, twice. Run by scripts/bench-read-time.
 */
public class ReadTime {
	public static void main(String[] args) {
		for (int pass = 1; pass <= 2; pass++) {
			DatasetSpec spec = DatasetSpec.open(Paths.get(args[0]));
			long start = System.nanoTime(), voxels = 0;
			int volumes = 0;
			for (Case c : spec.train()) {
				Sample s = spec.load(c.withoutLabel(), Normalization.parse("mri"));
				voxels += s.image().voxelsPerChannel();
				volumes++;
			}
			System.out.printf("pass %d: %d volumes, %d voxels, %.2f s%n", pass, volumes, voxels, (System.nanoTime() - start) / 1e9);
		}
	}
}
