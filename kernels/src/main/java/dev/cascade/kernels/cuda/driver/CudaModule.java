package dev.cascade.kernels.cuda.driver;

import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/** A loaded fatbin: the driver picks the SASS for this GPU, or compiles the PTX for a newer one. */
public final class CudaModule implements AutoCloseable {
    private final CUmodule module = new CUmodule();
    private final String what;
    private boolean unloaded;

    public CudaModule(byte[] fatbin, String what) {
        this.what = what;
        CudaDriverException.check(JCudaDriver.cuModuleLoadData(module, fatbin),
                "cuModuleLoadData(" + what + ", " + fatbin.length + " bytes)");
    }

    public CudaFunction function(String name) {
        CUfunction f = new CUfunction();
        CudaDriverException.check(JCudaDriver.cuModuleGetFunction(f, module, name),
                "cuModuleGetFunction(" + name + " in " + what + ")");
        return new CudaFunction(f, name);
    }

    @Override
    public void close() {
        if (!unloaded) {
            unloaded = true;
            CudaDriverException.check(JCudaDriver.cuModuleUnload(module), "cuModuleUnload(" + what + ")");
        }
    }
}
