package dev.cascade.kernels.cuda;

import dev.cascade.kernels.Activations;
import dev.cascade.kernels.cuda.driver.DeviceMemory;

/**
 * Float32 [capacity][width] activations on the GPU. Every backend operation that writes them bumps
 * {@link #version}, so the BF16/F16 copy made for one matrix product is reused by the next product
 * of the same input (Q, K and V; gate and up) and never after the input changed.
 */
final class CudaActivations implements Activations {
    private final int capacity;
    private final int width;
    final DeviceMemory memory;
    private long version;

    CudaActivations(int capacity, int width, DeviceMemory memory) {
        this.capacity = capacity;
        this.width = width;
        this.memory = memory;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int width() {
        return width;
    }

    long address() {
        return memory.address();
    }

    long version() {
        return version;
    }

    void written() {
        version++;
    }
}
