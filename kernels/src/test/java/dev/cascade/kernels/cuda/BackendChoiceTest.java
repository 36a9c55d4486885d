package dev.cascade.kernels.cuda;

import dev.cascade.kernels.Backends;
import dev.cascade.kernels.cuda.driver.CudaDevice;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** --backend cuda and auto where CUDA cannot run: a clear refusal, and the CPU with the reason. */
class BackendChoiceTest {

    static boolean cudaMissing() {
        try {
            KernelImage.load();
        } catch (CudaUnavailableException e) {
            return true;
        }
        return CudaDevice.driverLibraryProblem().isPresent();
    }

    @Test
    void cudaRefusesWithTheReason() {
        assumeTrue(cudaMissing(), "skipped: this machine may run CUDA");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Backends.create("cuda", 1));
        String m = e.getMessage();
        assertTrue(m.startsWith("--backend cuda: the CUDA backend is unavailable: "), m);
        assertTrue(m.contains("libcuda.so.1") || m.contains("nvcc was not found"), m);
        assertTrue(m.endsWith("Use --backend cpu or auto"), m);
    }

    @Test
    void autoTakesTheCpuAndSaysWhy() {
        assumeTrue(cudaMissing(), "skipped: this machine may run CUDA");
        Backends.Choice c = Backends.create("auto", 1);
        try {
            assertEquals("cpu", c.backend().name());
            assertTrue(c.reason().startsWith("cpu (Vector API " + dev.cascade.kernels.cpu.CpuBackend.vectorBits() + "-bit, 1 threads): CUDA unavailable: "), c.reason());
        } finally {
            c.backend().close();
        }
    }
}
