package org.mnseg.dataset;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mnseg.data.LabelVolume;
import org.mnseg.data.Volume;
import org.mnseg.io.VolumeIO;
import org.mnseg.train.TrainingPlan;
import org.mnseg.util.UserError;

/**
 * A data set is checked when it is opened and planned: every dataset.json key has its type, the declared spacing
 * agrees with the files, no test case is also a training case, and every volume has the same channels. Each mistake
 * gets one line that names the file or case and says what to change.
 */
public class DatasetChecksTest {
	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** Cases c1, c2 (labeled, 1 mm voxels) and a dataset.json with {@code extra} keys and the given split. */
	private Path dataset(String extra, String split) throws IOException {
		Path root = tmp.newFolder().toPath();
		for (String id : new String[] { "c1", "c2", "c3" }) {
			VolumeIO.writeImage(Volume.wrap(new float[] { 1, 2, 3, 5 }, new long[] { 2, 2, 1 }, null), root.resolve("imagesTr/" + id + ".nii.gz"));
			VolumeIO.writeLabels(LabelVolume.wrap(new byte[] { 0, 1, 1, 0 }, new int[] { 2, 2, 1 }, null), root.resolve("labelsTr/" + id + ".nii.gz"));
		}
		Files.writeString(root.resolve("dataset.json"), "{\"name\": \"tiny\", \"labels\": {\"0\": \"background\", \"1\": \"organ\"}" + extra
			+ ", \"split\": " + split + "}");
		return root;
	}

	private static final String SPLIT = "{\"train\": [\"c1\", \"c2\"], \"test\": [\"c3\"]}";

	private static String refusal(Runnable r) {
		try {
			r.run();
		} catch (UserError e) {
			assertFalse(e.getMessage(), e.getMessage().contains("\n") || e.getMessage().contains("Exception"));
			return e.getMessage();
		}
		fail("expected a refusal");
		return null;
	}

	private static void assertMentions(String message, String... words) {
		for (String w : words) assertTrue("'" + w + "' missing from: " + message, message.contains(w));
	}

	@Test
	public void spacingMustBeThreePositiveNumbers() throws IOException {
		for (String bad : new String[] { "\"one\"", "[1, 1]", "[1, \"1\", 1]", "[1, 0, 1]", "[1, -2, 1]", "{\"x\": 1}" }) {
			Path root = dataset(", \"spacing_mm\": " + bad, SPLIT);
			assertMentions(refusal(() -> DatasetSpec.open(root)), "spacing_mm", "three positive numbers", root.resolve("dataset.json").toString());
		}
		Path good = dataset(", \"spacing_mm\": [1.0, 1.0, 1.0]", SPLIT);
		assertArrayEquals(new double[] { 1, 1, 1 }, DatasetSpec.open(good).declaredSpacing().orElseThrow(), 0);
	}

	@Test
	public void declaredSpacingMustAgreeWithTheFiles() throws IOException {
		Path root = dataset(", \"spacing_mm\": [1.25, 1.25, 1.25]", SPLIT);
		DatasetSpec spec = DatasetSpec.open(root);
		assertMentions(refusal(() -> TrainingPlan.Fingerprint.of(spec, -1)), "c1", "1.25", "spacing_mm", "1.000");
		// agreeing within rounding is fine
		TrainingPlan.Fingerprint.of(DatasetSpec.open(dataset(", \"spacing_mm\": [1.001, 1.0, 0.999]", SPLIT)), -1);
	}

	@Test
	public void aTestCaseThatIsAlsoTrainedOnIsRefused() throws IOException {
		Path root = dataset("", "{\"train\": [\"c1\", \"c2\"], \"test\": [\"c2\", \"c3\"]}");
		assertMentions(refusal(() -> DatasetSpec.open(root)), "split.test", "c2", "must not be trained on");
	}

	@Test
	public void descriptiveKeysMustBeTextAndModalityChannelsToo() throws IOException {
		Path licence = dataset(", \"licence\": {\"name\": \"CC\"}", SPLIT);
		assertMentions(refusal(() -> DatasetSpec.open(licence)), "'licence'", "string");
		Path modality = dataset(", \"modality\": {\"0\": {\"kind\": \"MRI\"}}", SPLIT);
		assertMentions(refusal(() -> DatasetSpec.open(modality)), "'modality'", "channel names");
	}

	@Test
	public void anImageGivenAsTheDataSetIsNamedAsSuch() throws IOException {
		Path root = dataset("", SPLIT);
		Path image = root.resolve("imagesTr/c1.nii.gz");
		assertMentions(refusal(() -> DatasetSpec.open(image)), "not a data set description", "mn segment");
		Path binary = root.resolve("binary.json");
		Files.write(binary, new byte[] { (byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3, 0x28 });
		assertMentions(refusal(() -> DatasetSpec.open(binary)), "not a text file");
	}

	@Test
	public void everyVolumeNeedsTheSameChannels() throws IOException {
		Path root = dataset("", SPLIT);
		VolumeIO.writeImage(Volume.wrap(new float[8], new long[] { 2, 2, 1, 2 }, null), root.resolve("imagesTr/c2.nii.gz"));
		assertMentions(refusal(() -> TrainingPlan.Fingerprint.of(DatasetSpec.open(root), -1)), "c2", "2 channel(s)", "'c1' has 1");
	}
}
