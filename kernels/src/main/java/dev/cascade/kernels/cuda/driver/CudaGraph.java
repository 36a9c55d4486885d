package dev.cascade.kernels.cuda.driver;

import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.JCudaDriver;

/**
 * Work captured from a stream once and replayed with one launch: a decode step is hundreds of
 * small launches whose launch cost a graph removes. Replays use the same device addresses and
 * launch shapes as the capture; what changes between replays must live in device memory that the
 * captured work reads (the step's plan).
 */
public final class CudaGraph implements AutoCloseable {
    private final CUgraph graph;
    private final CUgraphExec exec;
    private boolean destroyed;

    private CudaGraph(CUgraph graph, CUgraphExec exec) {
        this.graph = graph;
        this.exec = exec;
    }

    /**
     * Starts recording what this thread issues on {@code stream}: nothing runs until the graph that
     * {@link #endCapture} makes is launched. Work that cannot be captured (a synchronous copy, a
     * synchronisation, an allocation) fails, and so does the capture.
     */
    public static void beginCapture(CudaStream stream) {
        CudaDriverException.check(JCudaDriver.cuStreamBeginCapture(stream.jcuda(),
                CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "cuStreamBeginCapture");
    }

    /** Ends the capture begun on {@code stream} and instantiates what it recorded. */
    public static CudaGraph endCapture(CudaStream stream) {
        CUgraph graph = new CUgraph();
        CudaDriverException.check(JCudaDriver.cuStreamEndCapture(stream.jcuda(), graph), "cuStreamEndCapture");
        CUgraphExec exec = new CUgraphExec();
        int result = JCudaDriver.cuGraphInstantiate(exec, graph, 0);
        if (result != 0) {
            JCudaDriver.cuGraphDestroy(graph);
            throw new CudaDriverException("cuGraphInstantiate", result);
        }
        return new CudaGraph(graph, exec);
    }

    /**
     * Ends a capture that went wrong and drops what it recorded, so the stream takes ordinary work
     * again. Errors are ignored: the one that made us abort is the one to report.
     */
    public static void abortCapture(CudaStream stream) {
        CUgraph graph = new CUgraph();
        if (JCudaDriver.cuStreamEndCapture(stream.jcuda(), graph) == 0) {
            JCudaDriver.cuGraphDestroy(graph);
        }
    }

    public void launch(CudaStream stream) {
        CudaDriverException.check(JCudaDriver.cuGraphLaunch(exec, stream.jcuda()), "cuGraphLaunch");
    }

    @Override
    public void close() {
        if (!destroyed) {
            destroyed = true;
            CudaDriverException.check(JCudaDriver.cuGraphExecDestroy(exec), "cuGraphExecDestroy");
            CudaDriverException.check(JCudaDriver.cuGraphDestroy(graph), "cuGraphDestroy");
        }
    }
}
