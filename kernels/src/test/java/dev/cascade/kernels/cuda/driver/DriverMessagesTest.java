package dev.cascade.kernels.cuda.driver;

import dev.cascade.kernels.cuda.CudaUnavailableException;
import dev.cascade.kernels.cuda.CudaVersion;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the driver layer tells a user where no GPU is, and how its errors read. */
class DriverMessagesTest {

    @Test
    void withoutADriverOpeningSaysSoBeforeTouchingJCuda() {
        assumeTrue(CudaDevice.driverLibraryProblem().isPresent(), "skipped: this machine has an NVIDIA driver");
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> CudaDevice.open(0, CudaVersion.parse("13.0")));
        assertTrue(e.getMessage().startsWith("no NVIDIA driver: libcuda.so.1 cannot be loaded ("), e.getMessage());
        assertTrue(e.getMessage().contains("libcuda.so.1: cannot open shared object file"), e.getMessage());
    }

    @Test
    void anOldDriverIsToldWhatToDo() {
        String m = CudaDevice.tooOld(CudaVersion.fromDriverCode(12040), 12040, CudaVersion.parse("13.0"));
        assertTrue(m.contains("supports CUDA 12.4 (cuDriverGetVersion = 12040)"), m);
        assertTrue(m.contains("built with CUDA 13.0"), m);
        assertTrue(m.contains("driver 580 or newer"), m);
        assertTrue(m.contains("CUDA_HOME=/usr/local/cuda-12.4 ./mvnw -B package"), m);
    }

    @Test
    void driverErrorsNameTheCallAndTheError() {
        CudaDriverException e = new CudaDriverException("cuMemAlloc(1024 bytes for KV cache)", CUresult.CUDA_ERROR_OUT_OF_MEMORY);
        assertEquals("cuMemAlloc(1024 bytes for KV cache) failed: CUDA_ERROR_OUT_OF_MEMORY (2); the GPU is out of memory",
                e.getMessage());
        CudaDriverException fault = new CudaDriverException("cuStreamSynchronize", CUresult.CUDA_ERROR_ILLEGAL_ADDRESS);
        assertTrue(fault.getMessage().contains("-Dcascade.cuda.sync=true"), fault.getMessage());
    }

    @Test
    void kernelArgumentsReadInOrder() {
        KernelArgs a = new KernelArgs().ptr(0x7f00L).i32(3).i64(1L << 33).f32(0.5f);
        assertEquals("0x7f00, 3, 8589934592L, 0.5f", a.toString());
    }
}
