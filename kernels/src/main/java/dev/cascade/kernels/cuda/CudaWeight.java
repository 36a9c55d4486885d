package dev.cascade.kernels.cuda;

import dev.cascade.kernels.Weight;
import dev.cascade.kernels.cuda.driver.DeviceMemory;
import dev.cascade.weights.DType;

/**
 * A weight on the GPU: [rows][cols] row-major in {@code deviceType} (a matrix in F32, F16 or BF16
 * per {@link WeightPrecision}; a vector always F32). {@link #dtype} is the device dtype;
 * {@code stored} is what the file held.
 */
record CudaWeight(String name, DType stored, DType deviceType, int rows, int cols, DeviceMemory memory)
        implements Weight {
    @Override
    public DType dtype() {
        return deviceType;
    }

    long address() {
        return memory.address();
    }
}
