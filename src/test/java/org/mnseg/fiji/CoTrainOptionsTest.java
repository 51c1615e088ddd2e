package org.mnseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.Map;

import org.junit.Test;
import org.mnseg.util.UserError;

/** The training settings that the Co-Train dialog's fields turn into, slice zoom included. */
public class CoTrainOptionsTest {
	private static CoTrainSettings settings(String model2d, int sliceZoom, String options) {
		return new CoTrainSettings(CoTrainSettings.PAIRS, "", "", null, "", null, "mn", "unet3d", model2d, "lora", "cpu", 0, "all",
			Path.of("/tmp/not-used"), false, options, null, sliceZoom, false, true);
	}

	@Test
	public void theSliceZoomReachesTheNetworksThatZoom() {
		Map<String, String> o = CoTrainRunner.trainingOptions(settings("mnv2-imagenet-unet", 2, ""));
		assertEquals("{\"slice_zoom\": 2}", o.get("options2d"));
		assertEquals("mnv2-imagenet-unet", o.get("architecture2d"));
		assertEquals("lora", o.get("fine-tuning"));
		assertEquals("{\"slice_zoom\": 3}", CoTrainRunner.trainingOptions(settings("deeplabv3plus-mnv2-ade20k", 3, "")).get("options2d"));
	}

	@Test
	public void networksThatCannotZoomAndZoomOneGetNoOption() {
		// the field's default suits every 2-D model: SegFormer has no slice_zoom, so it is left out, not an error
		assertFalse(CoTrainRunner.trainingOptions(settings("segformer-b0", 2, "")).containsKey("options2d"));
		assertFalse(CoTrainRunner.trainingOptions(settings("mnv2-imagenet-unet", 1, "")).containsKey("options2d"));
	}

	@Test
	public void optionsWrittenOutWin() {
		Map<String, String> o = CoTrainRunner.trainingOptions(settings("mnv2-imagenet-unet", 2, "options2d={\"slice_zoom\":4} architecture2d=mnv2-imagenet-unet"));
		assertEquals("{\"slice_zoom\":4}", o.get("options2d"));
	}

	@Test
	public void aZoomBelowOneIsRefusedInDialogWords() {
		try {
			CoTrainRunner.run(settings("mnv2-imagenet-unet", 0, ""), null, null, () -> false);
			fail("slice zoom 0 accepted");
		} catch (UserError e) {
			assertTrue(e.getMessage(), e.getMessage().startsWith("Slice zoom (2D) must be 1"));
		}
	}
}
