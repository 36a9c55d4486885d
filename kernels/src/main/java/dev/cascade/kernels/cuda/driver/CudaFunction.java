package dev.cascade.kernels.cuda.driver;

import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;

/** One kernel of a loaded module. */
public final class CudaFunction {
    /** -Dcascade.cuda.sync=true: wait after every launch, so a fault is reported by the kernel that caused it. */
    static final boolean SYNC_EACH_LAUNCH = Boolean.getBoolean("cascade.cuda.sync");

    private final CUfunction function;
    private final String name;

    CudaFunction(CUfunction function, String name) {
        this.function = function;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Launches a grid of gridX × gridY × gridZ blocks of {@code threads} threads on the stream. */
    public void launch(CudaStream stream, int gridX, int gridY, int gridZ, int threads, int sharedBytes, KernelArgs args) {
        if (gridX <= 0 || gridY <= 0 || gridZ <= 0) {
            throw new IllegalArgumentException(name + ": empty grid " + gridX + "x" + gridY + "x" + gridZ);
        }
        int result = JCudaDriver.cuLaunchKernel(function, gridX, gridY, gridZ, threads, 1, 1, sharedBytes,
                stream.jcuda(), args.toPointer(), null);
        if (result != 0) {
            throw new CudaDriverException(describe(gridX, gridY, gridZ, threads, args), result);
        }
        if (SYNC_EACH_LAUNCH) {
            int sync = JCudaDriver.cuStreamSynchronize(stream.jcuda());
            if (sync != 0) {
                throw new CudaDriverException("running " + describe(gridX, gridY, gridZ, threads, args), sync);
            }
        }
    }

    /** A grid of {@code blocks} blocks in x. */
    public void launch(CudaStream stream, int blocks, int threads, KernelArgs args) {
        launch(stream, blocks, 1, 1, threads, 0, args);
    }

    private String describe(int x, int y, int z, int threads, KernelArgs args) {
        return "cuLaunchKernel(" + name + ", grid " + x + "x" + y + "x" + z + ", " + threads + " threads; " + args + ")";
    }
}
