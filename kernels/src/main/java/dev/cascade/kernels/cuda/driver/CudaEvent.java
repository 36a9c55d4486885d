package dev.cascade.kernels.cuda.driver;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.JCudaDriver;

/** A point in a stream's work: to wait for it from the host, or to time the work between two. */
public final class CudaEvent implements AutoCloseable {
    private final CUevent event = new CUevent();
    private boolean destroyed;

    /** @param timing whether {@link #millisSince} will be asked (untimed events are cheaper) */
    public CudaEvent(boolean timing) {
        CudaDriverException.check(JCudaDriver.cuEventCreate(event, timing ? CUevent_flags.CU_EVENT_DEFAULT
                : CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
    }

    public void record(CudaStream stream) {
        CudaDriverException.check(JCudaDriver.cuEventRecord(event, stream.jcuda()), "cuEventRecord");
    }

    /** Waits until the work recorded before this event has run (at once if it was never recorded). */
    public void synchronize() {
        CudaDriverException.check(JCudaDriver.cuEventSynchronize(event), "cuEventSynchronize");
    }

    /** Milliseconds of GPU time from {@code start} to this event, both recorded and done. */
    public float millisSince(CudaEvent start) {
        float[] ms = new float[1];
        CudaDriverException.check(JCudaDriver.cuEventElapsedTime(ms, start.event, event), "cuEventElapsedTime");
        return ms[0];
    }

    @Override
    public void close() {
        if (!destroyed) {
            destroyed = true;
            CudaDriverException.check(JCudaDriver.cuEventDestroy(event), "cuEventDestroy");
        }
    }
}
