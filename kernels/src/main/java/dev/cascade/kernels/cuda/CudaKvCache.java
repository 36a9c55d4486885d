package dev.cascade.kernels.cuda;

import dev.cascade.kernels.KvCache;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.cuda.driver.DeviceMemory;

/**
 * The paged KV cache on the GPU, laid out as the CPU backend's: per layer a K pool and a V pool of
 * float32 [blocks · blockSize][kvHeads · headDim], the layers back to back in one allocation each.
 */
record CudaKvCache(KvLayout layout, DeviceMemory keys, DeviceMemory values) implements KvCache {
    long layerBytes() {
        return 4L * layout.blocks() * layout.blockSize() * layout.kvDim();
    }

    long keys(int layer) {
        return keys.address(layer * layerBytes());
    }

    long values(int layer) {
        return values.address(layer * layerBytes());
    }

    long slots() {
        return (long) layout.blocks() * layout.blockSize();
    }
}
