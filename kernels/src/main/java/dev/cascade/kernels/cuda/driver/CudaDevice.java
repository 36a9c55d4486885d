package dev.cascade.kernels.cuda.driver;

import dev.cascade.kernels.cuda.CudaUnavailableException;
import dev.cascade.kernels.cuda.CudaVersion;
import dev.cascade.kernels.cuda.NativeLibrary;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One GPU and its primary context (the one the CUDA runtime, and so cuBLAS, uses too). Opening it
 * checks, in order, each thing that can be missing, and says which: the driver library, JCuda's
 * native binding, a visible GPU, a driver new enough for the toolkit that built the kernels, and
 * a GPU the kernels were built for.
 */
public final class CudaDevice implements AutoCloseable {
    /** The oldest GPUs the kernels are built for (BF16 matrix products need Ampere). */
    public static final int MIN_COMPUTE_CAPABILITY = 80;

    private final CUdevice device;
    private final CUcontext context;
    private final int ordinal;
    private final String name;
    private final int computeCapability;
    private final int multiprocessors;
    private final CudaVersion driverVersion;
    private boolean released;

    private CudaDevice(CUdevice device, CUcontext context, int ordinal, String name, int computeCapability,
                       int multiprocessors, CudaVersion driverVersion) {
        this.device = device;
        this.context = context;
        this.ordinal = ordinal;
        this.name = name;
        this.computeCapability = computeCapability;
        this.multiprocessors = multiprocessors;
        this.driverVersion = driverVersion;
    }

    /** Why the driver library cannot be loaded, or empty where it can (cheap: no JCuda involved). */
    public static Optional<String> driverLibraryProblem() {
        return NativeLibrary.whyNotLoadable("libcuda.so.1").map(reason -> "no NVIDIA driver: libcuda.so.1 cannot be loaded ("
                + reason + "); install the NVIDIA driver, or check that its libraries are on the library path");
    }

    /**
     * Opens GPU {@code ordinal} and makes its primary context current on this thread.
     *
     * @param kernelsBuiltWith the CUDA version of the toolkit that compiled the fatbin
     */
    public static CudaDevice open(int ordinal, CudaVersion kernelsBuiltWith) {
        driverLibraryProblem().ifPresent(p -> {
            throw new CudaUnavailableException(p);
        });
        int init;
        try {
            JCudaDriver.setExceptionsEnabled(false);
            init = JCudaDriver.cuInit(0);
        } catch (LinkageError e) {
            throw new CudaUnavailableException("JCuda's native driver binding did not load (" + e + ")", e);
        }
        if (init == CUresult.CUDA_ERROR_NO_DEVICE) {
            throw new CudaUnavailableException("no CUDA GPU is visible (cuInit: CUDA_ERROR_NO_DEVICE); check nvidia-smi "
                    + "and CUDA_VISIBLE_DEVICES");
        }
        if (init == CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH || init == CUresult.CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE) {
            throw new CudaUnavailableException("the NVIDIA driver library and kernel module do not match, or a CUDA forward-"
                    + "compatibility package does not support this GPU (cuInit: " + CUresult.stringFor(init) + ")");
        }
        if (init != CUresult.CUDA_SUCCESS) {
            throw new CudaUnavailableException("cuInit failed: " + CUresult.stringFor(init) + " (" + init + ")");
        }
        int[] version = new int[1];
        CudaDriverException.check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
        CudaVersion driver = CudaVersion.fromDriverCode(version[0]);
        if (driver.compareTo(kernelsBuiltWith) < 0) {
            throw new CudaUnavailableException(tooOld(driver, version[0], kernelsBuiltWith));
        }
        int[] count = new int[1];
        CudaDriverException.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (ordinal < 0 || ordinal >= count[0]) {
            throw new CudaUnavailableException("no CUDA GPU " + ordinal + ": " + count[0] + " visible");
        }
        CUdevice device = new CUdevice();
        CudaDriverException.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] nameBytes = new byte[256];
        CudaDriverException.check(JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, device), "cuDeviceGetName");
        String name = cString(nameBytes);
        int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        int cc = 10 * major + minor;
        if (cc < MIN_COMPUTE_CAPABILITY) {
            throw new CudaUnavailableException(name + " has compute capability " + major + "." + minor
                    + "; the kernels are built for 8.0 and newer (Ampere, Ada, Hopper, and newer GPUs through PTX)");
        }
        int sms = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        CUcontext context = new CUcontext();
        CudaDriverException.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        CudaDevice d = new CudaDevice(device, context, ordinal, name, cc, sms, driver);
        d.makeCurrent();
        return d;
    }

    /** The message for a driver older than the toolkit that built the kernels. */
    public static String tooOld(CudaVersion driver, int code, CudaVersion kernels) {
        return "the NVIDIA driver supports CUDA " + driver + " (cuDriverGetVersion = " + code + "), but the kernels were "
                + "built with CUDA " + kernels + ", whose binaries need a driver for CUDA " + kernels + " or newer (Linux "
                + "driver " + kernels.minimumLinuxDriver() + " or newer). Update the driver, or rebuild the kernels with a "
                + "CUDA toolkit no newer than the driver: CUDA_HOME=/usr/local/cuda-" + driver + " ./mvnw -B package "
                + "-DskipTests (see the README, CUDA backend)";
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] v = new int[1];
        CudaDriverException.check(JCudaDriver.cuDeviceGetAttribute(v, attribute, device),
                "cuDeviceGetAttribute(" + CUdevice_attribute.stringFor(attribute) + ")");
        return v[0];
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** Makes this GPU's primary context current on the calling thread (each thread that calls CUDA needs it). */
    public void makeCurrent() {
        CudaDriverException.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent(GPU " + ordinal + ")");
    }

    /** Free and total device memory, in bytes, as the driver sees them now. */
    public long[] memoryInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        CudaDriverException.check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    public String name() {
        return name;
    }

    public int ordinal() {
        return ordinal;
    }

    /** 10 · major + minor: 90 for an H100. */
    public int computeCapability() {
        return computeCapability;
    }

    public int multiprocessors() {
        return multiprocessors;
    }

    public CudaVersion driverVersion() {
        return driverVersion;
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            CudaDriverException.check(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease");
        }
    }

    @Override
    public String toString() {
        return name + " (GPU " + ordinal + ", compute capability " + computeCapability / 10 + "." + computeCapability % 10
                + ", " + multiprocessors + " SMs, driver CUDA " + driverVersion + ")";
    }
}
