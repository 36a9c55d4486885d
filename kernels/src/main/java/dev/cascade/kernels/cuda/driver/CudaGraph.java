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
     * Records what {@code work} issues on {@code stream} (nothing runs) and instantiates it. Only
     * this thread's work is captured; work that cannot be captured (a synchronous copy, a
     * synchronisation) makes the capture fail, and the error names it.
     */
    public static CudaGraph capture(CudaStream stream, Runnable work) {
        CudaDriverException.check(JCudaDriver.cuStreamBeginCapture(stream.jcuda(),
                CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "cuStreamBeginCapture");
        CUgraph graph = new CUgraph();
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            // end the capture so the stream is usable again; the partial graph is discarded
            if (JCudaDriver.cuStreamEndCapture(stream.jcuda(), graph) == 0) {
                JCudaDriver.cuGraphDestroy(graph);
            }
            throw e;
        }
        CudaDriverException.check(JCudaDriver.cuStreamEndCapture(stream.jcuda(), graph), "cuStreamEndCapture");
        CUgraphExec exec = new CUgraphExec();
        int result = JCudaDriver.cuGraphInstantiate(exec, graph, 0);
        if (result != 0) {
            JCudaDriver.cuGraphDestroy(graph);
            throw new CudaDriverException("cuGraphInstantiate", result);
        }
        return new CudaGraph(graph, exec);
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
