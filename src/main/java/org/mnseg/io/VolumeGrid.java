package org.mnseg.io;

/** A volume's voxel grid as its file's header states it: {x, y, z}, channels and spacing in mm. */
public record VolumeGrid(int[] shape, int channels, double[] spacing) {}
