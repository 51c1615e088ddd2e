package org.mnseg.train;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import org.junit.Test;
import org.mnseg.nn.UNet3D;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

public class ModelTrainerTest {
	@Test
	public void aTeacherLeavesOnlyItsPseudoLabelsInTheStudentsStep() {
		try (NDManager root = NDManager.newBaseManager(); UNet3D net = new UNet3D(root, 1, 2, 3, 4, 5); NDManager step = root.newSubManager()) {
			ModelTrainer teacher = new ModelTrainer("3d", net, new LrSchedule(1e-3, 0, 1, 2), 0, 1, 1);
			NDArray x = step.randomNormal(new Shape(2, 1, 8, 8, 8));
			int before = arrays(step);
			NDArray p = teacher.teach(x);
			// the forward pass's dozens of layer outputs are gone; the probabilities and the patches stay with the step
			assertEquals(before + 1, arrays(step));
			assertEquals(step, p.getManager());
			assertEquals(step, x.getManager());
			assertArrayEquals(new long[] { 2, 2, 8, 8, 8 }, p.getShape().getShape());
			float[] unscoped = net.forward(x, false).softmax(1).toFloatArray();
			assertArrayEquals("the same probabilities as the forward pass in the step itself", unscoped, p.toFloatArray(), 0f);
		}
	}

	private static int arrays(NDManager m) {
		return ((BaseNDManager) m).getManagedArrays().size();
	}
}
