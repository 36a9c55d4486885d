package dev.cascade.kernels.cuda;

import dev.cascade.kernels.Activations;
import dev.cascade.kernels.Backend;
import dev.cascade.kernels.DeviceSampling;
import dev.cascade.kernels.KvCache;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.Rope;
import dev.cascade.kernels.StepPlan;
import dev.cascade.kernels.Weight;
import dev.cascade.kernels.cuda.cublas.Cublas;
import dev.cascade.kernels.cuda.cublas.CublasException;
import dev.cascade.kernels.cuda.cublas.CublasLibrary;
import dev.cascade.kernels.cuda.cublas.CublasLocator;
import dev.cascade.kernels.cuda.driver.CudaDevice;
import dev.cascade.kernels.cuda.driver.CudaEvent;
import dev.cascade.kernels.cuda.driver.CudaGraph;
import dev.cascade.kernels.cuda.driver.CudaModule;
import dev.cascade.kernels.cuda.driver.CudaStream;
import dev.cascade.kernels.cuda.driver.DeviceMemory;
import dev.cascade.kernels.cuda.driver.PinnedHostMemory;
import dev.cascade.kernels.reference.WeightRows;
import dev.cascade.weights.DType;
import dev.cascade.weights.Model;
import dev.cascade.weights.RopePairing;
import dev.cascade.weights.Tensor;
import jcuda.Pointer;

import java.util.ArrayList;
import java.util.List;

/**
 * The backend contract on an NVIDIA GPU. Matrix products go through cuBLAS (GemmEx: BF16/F16
 * weights and inputs, or plain F32, float32 accumulation and output); everything else runs in our
 * kernels (src/main/cuda). Activations and the paged KV cache are float32 on the device. All work
 * is queued on one stream; only {@link #read} waits for it. The step's plan is uploaded once per
 * step, in {@link #beginStep}, into one device buffer at fixed addresses.
 *
 * <p>Open with {@link #open()}: it throws {@link CudaUnavailableException} saying what is missing
 * (kernels not built, no driver, driver too old, no GPU, no cuBLAS). System properties:
 * {@code cascade.cuda.device} (GPU ordinal, 0), {@value WeightPrecision#PROPERTY} (bf16 or f32),
 * {@value CublasLocator#PROPERTY} (where cuBLAS is), {@code cascade.cuda.sync} (wait after every
 * launch, to find a faulting kernel; no graphs then), {@value #GRAPHS_PROPERTY} (false: no CUDA
 * graphs).
 *
 * <p>Pure decode steps run from CUDA graphs ({@link DecodeGraphs}): the second step of a row count
 * is captured as the caller issues it, later ones are replayed by {@link #beginStepOrReplay} with
 * one launch. Every argument a captured launch took must be the same at replay: the plan's device
 * buffer and its sections, the activations, and the attention split count, which is why splits are
 * chosen from the plan's capacity rather than from the step's longest context.
 */
public final class CudaBackend implements Backend {
    /** The most (row, split) pairs one attention call may split into: sizes the partial-results buffer. */
    static final int ROW_SPLIT_CAPACITY = 1024;
    /** System property: {@code false} runs every step eagerly (no CUDA graphs). */
    public static final String GRAPHS_PROPERTY = "cascade.cuda.graphs";

    private final CudaDevice device;
    private final CudaStream stream;
    private final CudaModule module;
    private final CudaKernels kernels;
    private final Cublas cublas;
    private final DeviceMemory cublasWorkspace;
    private final CudaEvent planCopied;
    private final WeightPrecision precision;
    private final String description;
    private final List<DeviceMemory> allocations = new ArrayList<>();
    private Thread boundThread;
    private boolean closed;

    private StepPlan plan;
    private PlanLayout planLayout;
    private PinnedHostMemory planHost;
    private DeviceMemory planDevice;
    /** The context attention splits are chosen for: the plan's capacity, so it is the same for every step. */
    private int splitContext;
    /** Prefill attention tiles of the step: fewer than its rows when a sequence has a chunk of several. */
    private int attentionTiles;
    private final DecodeGraphs<CudaGraph> graphs;
    private DecodeGraphs.Action mode = DecodeGraphs.Action.EAGER;
    private long step;
    private long validatedStep = -1;
    private CudaKvCache validatedCache;

    private DeviceMemory staging;
    private DeviceMemory halfInput;
    private CudaActivations convertedFrom;
    private long convertedVersion;
    private DType convertedType;
    private int convertedRows;
    private int convertedCols;
    private DeviceMemory partials;
    private Rope ropeSpec;
    private PinnedHostMemory samplingHost;
    private DeviceMemory samplingIn;
    private DeviceMemory samplingOut;
    private int samplingCapacity;
    private DeviceMemory ropeFrequencies;

    private CudaBackend(CudaDevice device, CudaStream stream, CudaModule module, Cublas cublas,
                        DeviceMemory cublasWorkspace, CudaEvent planCopied, WeightPrecision precision, String description) {
        this.device = device;
        this.stream = stream;
        this.module = module;
        this.kernels = new CudaKernels(module, stream);
        this.cublas = cublas;
        this.cublasWorkspace = cublasWorkspace;
        this.planCopied = planCopied;
        this.precision = precision;
        this.description = description;
        this.boundThread = Thread.currentThread();
        this.graphs = new DecodeGraphs<>(graphsWanted());
    }

    /** Graphs unless turned off, or unless every launch is to be waited for (which a capture cannot do). */
    static boolean graphsWanted() {
        return !Boolean.getBoolean("cascade.cuda.sync") && !"false".equalsIgnoreCase(System.getProperty(GRAPHS_PROPERTY));
    }

    /** Whether pure decode steps run from CUDA graphs, and how many are held. */
    public String graphSummary() {
        return graphs.enabled() ? graphs.size() + " decode graphs" : "no graphs";
    }

    /** GPU {@code cascade.cuda.device} (default 0), weights per {@value WeightPrecision#PROPERTY}. */
    public static CudaBackend open() {
        return open(Integer.getInteger("cascade.cuda.device", 0), WeightPrecision.fromProperty());
    }

    public static CudaBackend open(int ordinal, WeightPrecision precision) {
        KernelImage image = KernelImage.load();
        CudaDevice.driverLibraryProblem().ifPresent(p -> {
            throw new CudaUnavailableException(p);
        });
        CublasLocator.Found cublasFiles = CublasLocator.locate();
        CudaDevice device = CudaDevice.open(ordinal, image.builtWith());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            CublasLibrary library;
            try {
                library = CublasLibrary.load(cublasFiles);
            } catch (UnsatisfiedLinkError e) {
                throw new CudaUnavailableException("cuBLAS (" + cublasFiles.where() + ") did not load: " + e.getMessage(), e);
            }
            CudaStream stream = track(opened, new CudaStream());
            CudaModule module = track(opened, new CudaModule(image.fatbin(), "cascade_kernels.fatbin"));
            Cublas cublas;
            try {
                cublas = track(opened, new Cublas(library));
            } catch (CublasException e) {
                throw new CudaUnavailableException("cuBLAS " + cublasFiles.cublas() + " does not start on " + device + ": "
                        + e.getMessage(), e);
            }
            cublas.setStream(stream.address());
            cublas.setMathMode(Cublas.DEFAULT_MATH);
            DeviceMemory workspace = track(opened, DeviceMemory.allocate(DeviceMemoryPlan.CUBLAS_WORKSPACE, "cuBLAS workspace"));
            cublas.setWorkspace(workspace.address(), workspace.bytes());
            CudaEvent planCopied = track(opened, new CudaEvent(false));
            int v = cublas.version();
            String description = "cuda (" + device + "; cuBLAS " + v / 10000 + "." + v / 100 % 100 + "." + v % 100
                    + " from " + cublasFiles.cublas().getParent() + "; kernels built with CUDA " + image.builtWith() + " for "
                    + image.targets() + "; weights " + precision + ")";
            return new CudaBackend(device, stream, module, cublas, workspace, planCopied, precision, description);
        } catch (RuntimeException | Error e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                closeQuietly(opened.get(i));
            }
            closeQuietly(device);
            throw e;
        }
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception | Error ignored) {
            // already failing; the first error is the one to report
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** The GPU, cuBLAS and kernels in use, for the log. */
    public String description() {
        return description;
    }

    public WeightPrecision precision() {
        return precision;
    }

    /** Each thread that issues CUDA calls needs the context current; the engine may hand the backend to another thread. */
    private void ensureCurrent() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend is closed");
        }
        Thread t = Thread.currentThread();
        if (t != boundThread) {
            device.makeCurrent();
            boundThread = t;
        }
    }

    private DeviceMemory allocate(long bytes, String what) {
        DeviceMemory m = DeviceMemory.allocate(bytes, what);
        allocations.add(m);
        return m;
    }

    private void free(DeviceMemory m) {
        if (m != null) {
            allocations.remove(m);
            m.close();
        }
    }

    @Override
    public void prepare(Model model, KvLayout layout, int maxRows) {
        ensureCurrent();
        var c = model.config();
        DeviceMemoryPlan p = DeviceMemoryPlan.of(model, layout, maxRows, precision, partialsBytes(c.heads(), c.headDim()));
        long[] memory = device.memoryInfo();
        p.check(memory[0], memory[1], device.name() + " (GPU " + device.ordinal() + ")", precision, maxRows);
    }

    private static long partialsBytes(int heads, int headDim) {
        return 4L * ROW_SPLIT_CAPACITY * heads * (headDim + 2);
    }

    // --- weights, buffers, cache ---

    @Override
    public Weight weight(Tensor t) {
        ensureCurrent();
        int cols = WeightRows.cols(t);
        int rows = WeightRows.rows(t);
        if (t.rank() == 1) {
            // norm gains and biases: float32, decoded on the host (a few KB)
            float[] values = WeightRows.readAll(t);
            DeviceMemory m = allocate(4L * values.length, "weight " + t.name());
            m.copyFromHost(0, Pointer.to(values), 4L * values.length);
            return new CudaWeight(t.name(), t.dtype(), DType.F32, rows, cols, m);
        }
        DType target = precision.deviceType(t.dtype());
        long elements = t.elementCount();
        DeviceMemory m = allocate(elements * WeightPrecision.bytes(target), "weight " + t.name() + " (" + target + ")");
        if (target == t.dtype()) {
            HostUpload.copy(t.data(), m);
        } else {
            DeviceMemory raw = staging(t.data().byteSize());
            HostUpload.copy(t.data(), raw);
            kernels.convert(t.dtype(), target, raw.address(), m.address(), elements);
            stream.synchronize(); // the next weight's upload overwrites the staging buffer
        }
        return new CudaWeight(t.name(), t.dtype(), target, rows, cols, m);
    }

    /** The load-time buffer raw tensors are converted from; freed when the first step begins. */
    private DeviceMemory staging(long bytes) {
        if (staging == null || staging.bytes() < bytes) {
            free(staging);
            staging = allocate(bytes, "weight staging");
        }
        return staging;
    }

    @Override
    public Activations activations(int rows, int width) {
        ensureCurrent();
        if (rows <= 0 || width <= 0) {
            throw new IllegalArgumentException("activations of " + rows + " x " + width);
        }
        DeviceMemory m = allocate(4L * rows * width, "activations " + rows + "x" + width);
        return new CudaActivations(rows, width, m);
    }

    @Override
    public KvCache kvCache(KvLayout layout) {
        ensureCurrent();
        CudaKernels.attentionKernel(layout.headDim()); // refuses head dimensions the kernels cannot hold, before allocating
        long layerBytes = 4L * layout.blocks() * layout.blockSize() * layout.kvDim();
        DeviceMemory k = allocate(layerBytes * layout.layers(), "KV cache keys");
        DeviceMemory v = allocate(layerBytes * layout.layers(), "KV cache values");
        return new CudaKvCache(layout, k, v);
    }

    // --- the step ---

    @Override
    public void beginStep(StepPlan p) {
        ensureCurrent();
        if (mode == DecodeGraphs.Action.CAPTURE) {
            abandonRecording(); // the last step threw while it was being captured and nobody said so
        }
        mode = DecodeGraphs.Action.EAGER;
        if (staging != null) {
            stream.synchronize();
            free(staging);
            staging = null;
        }
        if (planLayout == null || !planLayout.holds(p)) {
            stream.synchronize();
            free(planDevice);
            if (planHost != null) {
                planHost.close();
            }
            graphs.clear(); // they read the old buffer
            planLayout = PlanLayout.of(p);
            planHost = new PinnedHostMemory(planLayout.bytes());
            planDevice = allocate(planLayout.bytes(), "step plan");
        }
        planCopied.synchronize(); // the previous step's upload has read the pinned buffer we are about to refill
        long bytes = planLayout.write(p, planHost.buffer());
        planDevice.copyFromHostAsync(0, planHost.pointer(), bytes, stream.jcuda());
        planCopied.record(stream);
        splitContext = p.maxBlocksPerSequence() * p.blockSize();
        attentionTiles = PlanLayout.tiles(p);
        plan = p;
        step++;
    }

    @Override
    public boolean beginStepOrReplay(StepPlan p) {
        beginStep(p);
        switch (graphs.next(p)) {
            case REPLAY -> {
                mode = DecodeGraphs.Action.REPLAY;
                convertedFrom = null; // the graph converts inputs itself; nothing converted is known to be fresh
                return true;
            }
            case CAPTURE -> {
                try {
                    CudaGraph.beginCapture(stream);
                } catch (RuntimeException e) {
                    graphs.failed(p.rows());
                    warn("decode steps of " + p.rows() + " rows run without a CUDA graph: " + e.getMessage());
                    return false;
                }
                mode = DecodeGraphs.Action.CAPTURE;
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    @Override
    public boolean abandonRecording() {
        if (mode != DecodeGraphs.Action.CAPTURE) {
            return false;
        }
        CudaGraph.abortCapture(stream);
        mode = DecodeGraphs.Action.EAGER;
        graphs.failed(plan.rows());
        warn("capturing a decode step of " + plan.rows() + " rows failed; steps of that size run without a CUDA graph");
        return true;
    }

    private static void warn(String message) {
        System.getLogger(CudaBackend.class.getName()).log(System.Logger.Level.WARNING, message);
    }

    @Override
    public int currentRows() {
        return plan.rows();
    }

    private long section(int section) {
        return planDevice.address(planLayout.rowSection(section));
    }

    private static CudaActivations a(Activations x) {
        return (CudaActivations) x;
    }

    private static CudaWeight w(Weight w) {
        return (CudaWeight) w;
    }

    private int rows() {
        ensureCurrent();
        if (plan == null) {
            throw new IllegalStateException("no step begun");
        }
        if (mode == DecodeGraphs.Action.REPLAY) {
            throw new IllegalStateException("this step is replayed from a CUDA graph; its operations must not be issued");
        }
        return plan.rows();
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    @Override
    public void embed(Weight table, Activations out) {
        int rows = rows();
        CudaWeight t = w(table);
        CudaActivations o = a(out);
        require(o.width() >= t.cols() && o.capacity() >= rows, "embedding rows of " + t.cols() + " into " + o.capacity()
                + " x " + o.width() + " for " + rows + " rows");
        for (int r = 0; r < rows; r++) {
            int token = plan.token(r);
            if (token < 0 || token >= t.rows()) {
                throw new IndexOutOfBoundsException("token " + token + " outside vocabulary of " + t.rows());
            }
        }
        if (rows > 0) {
            kernels.embed(t.deviceType(), t.address(), section(PlanLayout.TOKENS), o.address(), o.width(), t.cols(), rows);
        }
        o.written();
    }

    @Override
    public void matmul(Activations x, int rows, Weight weight, Activations out) {
        rows();
        CudaActivations in = a(x);
        CudaWeight m = w(weight);
        CudaActivations o = a(out);
        require(in.width() >= m.cols() && o.width() >= m.rows() && rows <= in.capacity() && rows <= o.capacity(),
                "matmul of " + rows + " rows x " + in.width() + " by " + m.name() + " [" + m.rows() + "][" + m.cols()
                        + "] into " + o.capacity() + " x " + o.width());
        if (rows > 0) {
            if (m.deviceType() == DType.F32) {
                cublas.gemmEx(Cublas.OP_T, Cublas.OP_N, m.rows(), rows, m.cols(), m.address(), Cublas.CUDA_R_32F, m.cols(),
                        in.address(), Cublas.CUDA_R_32F, in.width(), o.address(), Cublas.CUDA_R_32F, o.width());
            } else {
                int type = m.deviceType() == DType.BF16 ? Cublas.CUDA_R_16BF : Cublas.CUDA_R_16F;
                long b = halfPrecision(in, rows, m.cols(), m.deviceType());
                cublas.gemmEx(Cublas.OP_T, Cublas.OP_N, m.rows(), rows, m.cols(), m.address(), type, m.cols(),
                        b, type, m.cols(), o.address(), Cublas.CUDA_R_32F, o.width());
            }
        }
        o.written();
    }

    /** x's first rows × cols in BF16/F16, packed; converted again only when x changed since the last time. */
    private long halfPrecision(CudaActivations x, int rows, int cols, DType type) {
        if (halfInput == null || halfInput.bytes() < 2L * rows * cols) {
            // sized for the input's capacity, so it grows once per input width at most (what
            // DeviceMemoryPlan counts: the widest product input for all rows); queued work may
            // still read the old one
            stream.synchronize();
            free(halfInput);
            halfInput = allocate(2L * Math.max(rows, x.capacity()) * cols, "half-precision matrix inputs");
            convertedFrom = null;
        }
        boolean fresh = convertedFrom == x && convertedVersion == x.version() && convertedType == type
                && convertedCols == cols && convertedRows >= rows;
        if (!fresh) {
            kernels.rowsToHalf(type, x.address(), x.width(), halfInput.address(), rows, cols);
            convertedFrom = x;
            convertedVersion = x.version();
            convertedType = type;
            convertedRows = rows;
            convertedCols = cols;
        }
        return halfInput.address();
    }

    @Override
    public void addBias(Activations x, Weight bias) {
        int rows = rows();
        CudaActivations v = a(x);
        CudaWeight b = w(bias);
        int n = b.rows() * b.cols();
        require(n <= v.width(), "bias " + b.name() + " of " + n + " on rows of " + v.width());
        kernels.addBias(v.address(), v.width(), b.address(), rows, n);
        v.written();
    }

    @Override
    public void rmsNorm(Activations x, Weight gain, float eps, Activations out) {
        int rows = rows();
        CudaActivations in = a(x);
        CudaActivations o = a(out);
        requireNorm(in, o, w(gain));
        if (rows > 0) {
            kernels.rmsNorm(in.address(), w(gain).address(), o.address(), in.width(), eps, rows);
        }
        o.written();
    }

    @Override
    public void addRmsNorm(Activations residual, Activations delta, Weight gain, float eps, Activations out) {
        int rows = rows();
        CudaActivations r = a(residual);
        CudaActivations d = a(delta);
        CudaActivations o = a(out);
        requireNorm(r, o, w(gain));
        require(d.width() == r.width(), "residual of width " + r.width() + " plus delta of width " + d.width());
        if (rows > 0) {
            kernels.addRmsNorm(r.address(), d.address(), w(gain).address(), o.address(), r.width(), eps, rows);
        }
        r.written();
        o.written();
    }

    private static void requireNorm(CudaActivations x, CudaActivations out, CudaWeight gain) {
        require(out.width() == x.width() && gain.rows() * gain.cols() == x.width(), "norm of rows of " + x.width()
                + " with gain " + gain.name() + " of " + gain.rows() * gain.cols() + " into rows of " + out.width());
    }

    @Override
    public void add(Activations residual, Activations delta) {
        int rows = rows();
        CudaActivations r = a(residual);
        CudaActivations d = a(delta);
        require(d.width() == r.width(), "residual of width " + r.width() + " plus delta of width " + d.width());
        kernels.add(r.address(), d.address(), (long) rows * r.width());
        r.written();
    }

    @Override
    public void rope(Activations q, Activations k, Rope spec) {
        int rows = rows();
        CudaActivations qa = a(q);
        CudaActivations ka = a(k);
        require(qa.width() >= spec.heads() * spec.headDim() && ka.width() >= spec.kvHeads() * spec.headDim(),
                "rope of " + spec.heads() + "+" + spec.kvHeads() + " heads of " + spec.headDim() + " on rows of "
                        + qa.width() + " and " + ka.width());
        if (spec != ropeSpec) {
            // the host's frequencies (Llama 3 scaling applied), as doubles: the kernel turns in double as the CPU does
            double[] f = spec.frequencies();
            stream.synchronize(); // the buffer may still be read by queued work
            if (ropeFrequencies == null || ropeFrequencies.bytes() < 8L * f.length) {
                free(ropeFrequencies);
                ropeFrequencies = allocate(8L * f.length, "RoPE frequencies");
            }
            ropeFrequencies.copyFromHost(0, Pointer.to(f), 8L * f.length);
            ropeSpec = spec;
        }
        if (rows > 0) {
            kernels.rope(qa.address(), qa.width(), ka.address(), ka.width(), section(PlanLayout.POSITIONS),
                    ropeFrequencies.address(), spec.heads(), spec.kvHeads(), spec.headDim(),
                    spec.pairing() == RopePairing.INTERLEAVED, rows);
        }
        qa.written();
        ka.written();
    }

    @Override
    public void writeKv(KvCache cache, int layer, Activations k, Activations v) {
        int rows = rows();
        CudaKvCache kv = (CudaKvCache) cache;
        CudaActivations ka = a(k);
        CudaActivations va = a(v);
        int kvDim = kv.layout().kvDim();
        require(layer >= 0 && layer < kv.layout().layers(), "layer " + layer + " of " + kv.layout().layers());
        require(ka.width() >= kvDim && va.width() >= kvDim, "K/V rows of " + ka.width() + "/" + va.width()
                + " for a cache of " + kvDim);
        validateCache(kv);
        if (rows > 0) {
            kernels.writeKv(ka.address(), ka.width(), va.address(), va.width(), section(PlanLayout.SLOTS),
                    kv.keys(layer), kv.values(layer), kvDim, rows);
        }
    }

    /**
     * Checks once per step and cache, on the host, that every block this step's rows reach is in
     * the cache: a wrong block id on the GPU is a silent overwrite or a fault far from its cause.
     */
    private void validateCache(CudaKvCache kv) {
        if (validatedStep == step && validatedCache == kv) {
            return;
        }
        int blocks = kv.layout().blocks();
        int blockSize = kv.layout().blockSize();
        require(plan.blockSize() == blockSize, "the plan's blocks hold " + plan.blockSize() + " tokens, the cache's "
                + blockSize);
        for (int r = 0; r < plan.rows(); r++) {
            int s = plan.sequenceOf(r);
            if (r + 1 < plan.rows() && plan.sequenceOf(r + 1) == s) {
                continue; // a sequence's last row reaches furthest
            }
            for (int i = 0; i <= plan.position(r) / blockSize; i++) {
                int b = plan.block(s, i);
                if (b < 0 || b >= blocks) {
                    throw new IndexOutOfBoundsException("sequence " + s + " of the step names block " + b + "; the cache has "
                            + blocks);
                }
            }
        }
        validatedStep = step;
        validatedCache = kv;
    }

    @Override
    public void attention(KvCache cache, int layer, Activations q, Activations out) {
        int rows = rows();
        CudaKvCache kv = (CudaKvCache) cache;
        CudaActivations qa = a(q);
        CudaActivations o = a(out);
        KvLayout l = kv.layout();
        int heads = qa.width() / l.headDim();
        require(heads > 0 && heads % l.kvHeads() == 0 && o.width() >= heads * l.headDim(), "attention of rows of "
                + qa.width() + " (" + heads + " heads of " + l.headDim() + ") over " + l.kvHeads() + " KV heads into rows of "
                + o.width());
        validateCache(kv);
        Kernel tiled = CudaKernels.prefillAttentionKernel(l.headDim());
        if (rows > 0 && attentionTiles < rows && tiled != null) {
            // prefill chunks: tiles of a sequence's rows share their keys and values (no splits)
            kernels.prefillAttention(new CudaKernels.AttentionArgs(qa.address(), qa.width(), kv.keys(layer), kv.values(layer),
                    section(PlanLayout.POSITIONS), section(PlanLayout.ROW_SEQUENCE), planDevice.address(planLayout.blockTables()),
                    plan.maxBlocksPerSequence(), l.blockSize(), heads, l.kvHeads(), l.headDim(), o.address(), o.width(), 0),
                    section(PlanLayout.TILE_FIRST), section(PlanLayout.TILE_ROWS_SECTION), attentionTiles);
        } else if (rows > 0) {
            AttentionSplits splits = AttentionSplits.choose(rows, heads, splitContext, device.multiprocessors(),
                    ROW_SPLIT_CAPACITY);
            long partial = 0;
            if (splits.splits() > 1) {
                long bytes = partialsBytes(heads, l.headDim());
                if (partials == null || partials.bytes() < bytes) {
                    free(partials);
                    partials = allocate(bytes, "attention split partials");
                }
                partial = partials.address();
            }
            kernels.attention(new CudaKernels.AttentionArgs(qa.address(), qa.width(), kv.keys(layer), kv.values(layer),
                    section(PlanLayout.POSITIONS), section(PlanLayout.ROW_SEQUENCE), planDevice.address(planLayout.blockTables()),
                    plan.maxBlocksPerSequence(), l.blockSize(), heads, l.kvHeads(), l.headDim(), o.address(), o.width(),
                    partial), rows, splits);
        }
        o.written();
    }

    @Override
    public void siluMul(Activations gate, Activations up) {
        int rows = rows();
        CudaActivations g = a(gate);
        CudaActivations u = a(up);
        require(g.width() == u.width(), "gate of width " + g.width() + " times up of width " + u.width());
        kernels.siluMul(g.address(), u.address(), (long) rows * g.width());
        g.written();
    }

    @Override
    public void gatherLogitRows(Activations x, Activations out) {
        rows();
        CudaActivations in = a(x);
        CudaActivations o = a(out);
        require(o.width() == in.width() && o.capacity() >= plan.logitCount(), "gathering " + plan.logitCount()
                + " rows of " + in.width() + " into " + o.capacity() + " x " + o.width());
        kernels.gatherRows(in.address(), in.width(), section(PlanLayout.LOGIT_ROWS), o.address(), plan.logitCount());
        o.written();
    }

    @Override
    public void read(Activations x, int rows, float[] dst) {
        ensureCurrent();
        CudaActivations in = a(x);
        long floats = (long) rows * in.width();
        require(rows <= in.capacity() && floats <= dst.length, "reading " + rows + " rows of " + in.width() + " into "
                + dst.length + " floats");
        launchRecording();
        stream.synchronize();
        if (floats > 0) {
            in.memory.copyToHost(0, Pointer.to(dst), 4 * floats);
        }
    }

    /**
     * The step's recorded work, if any, goes to the GPU: the graph just captured is instantiated
     * and launched, or the one being replayed is launched. The step's first read or sample calls it.
     */
    private void launchRecording() {
        if (mode == DecodeGraphs.Action.CAPTURE) {
            CudaGraph g = CudaGraph.endCapture(stream); // on failure the caller abandons the recording
            mode = DecodeGraphs.Action.EAGER;
            graphs.captured(plan.rows(), g);
            g.launch(stream);
        } else if (mode == DecodeGraphs.Action.REPLAY) {
            mode = DecodeGraphs.Action.EAGER;
            graphs.graph(plan.rows()).launch(stream);
        }
    }

    @Override
    public boolean samplesOnDevice() {
        return true;
    }

    @Override
    public void sample(Activations logits, int rows, DeviceSampling s) {
        ensureCurrent();
        CudaActivations in = a(logits);
        require(rows <= in.capacity() && rows <= s.capacity(), "sampling " + rows + " rows of logits held in "
                + in.capacity() + " rows, settings for " + s.capacity());
        launchRecording();
        if (rows == 0) {
            return;
        }
        int capacity = Math.max(rows, s.capacity());
        if (samplingHost == null || samplingCapacity < capacity) {
            stream.synchronize();
            free(samplingIn);
            free(samplingOut);
            if (samplingHost != null) {
                samplingHost.close();
            }
            samplingCapacity = capacity;
            samplingHost = new PinnedHostMemory(samplingInBytes(capacity));
            samplingIn = allocate(samplingInBytes(capacity), "sampling settings");
            samplingOut = allocate(8L * capacity, "sampled tokens");
        }
        int c = samplingCapacity;
        java.nio.ByteBuffer b = samplingHost.buffer();
        long uniformAt = uniformOffset(c);
        for (int r = 0; r < rows; r++) {
            b.putFloat(4 * r, s.temperature[r]);
            b.putInt(4 * c + 4 * r, s.topK[r]);
            b.putFloat(8 * c + 4 * r, s.topP[r]);
            b.putDouble((int) uniformAt + 8 * r, s.uniform[r]);
        }
        samplingIn.copyFromHostAsync(0, samplingHost.pointer(), samplingInBytes(c), stream.jcuda());
        kernels.sample(in.address(), in.width(), in.width(), samplingIn.address(), samplingIn.address(4L * c),
                samplingIn.address(8L * c), samplingIn.address(uniformAt), samplingOut.address(),
                samplingOut.address(4L * c), rows);
        stream.synchronize();
        samplingOut.copyToHost(0, Pointer.to(s.token), 4L * rows);
        samplingOut.copyToHost(4L * c, Pointer.to(s.logprob), 4L * rows);
        for (int r = 0; r < rows; r++) {
            if (s.token[r] < -1 || s.token[r] >= in.width()) {
                // a wrong id would index the tokenizer far from here; stop at the kernel that made it
                throw new IllegalStateException("sample_rows chose token " + s.token[r] + " for row " + r
                        + " of a vocabulary of " + in.width());
            }
        }
    }

    /** The settings' layout: temperature f32, top-k i32 and top-p f32 per row, then the uniform draws as f64, 8-aligned. */
    private static long uniformOffset(int capacity) {
        return (12L * capacity + 7) / 8 * 8;
    }

    private static long samplingInBytes(int capacity) {
        return uniformOffset(capacity) + 8L * capacity;
    }

    /**
     * Copies host floats to the start of {@code x}, waiting for queued work first: the GPU tests fill
     * and poison activations with it.
     */
    public void write(Activations x, float[] values) {
        ensureCurrent();
        CudaActivations in = a(x);
        require(values.length <= (long) in.capacity() * in.width(), values.length + " floats into " + in.capacity()
                + " x " + in.width());
        stream.synchronize();
        in.memory.copyFromHost(0, Pointer.to(values), 4L * values.length);
        in.written();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            device.makeCurrent();
            if (mode == DecodeGraphs.Action.CAPTURE) {
                CudaGraph.abortCapture(stream);
            }
            stream.synchronize();
        } catch (RuntimeException e) {
            // a faulted context still has to be released
        }
        closed = true;
        graphs.close();
        for (int i = allocations.size() - 1; i >= 0; i--) {
            closeQuietly(allocations.get(i));
        }
        allocations.clear();
        if (planHost != null) {
            closeQuietly(planHost);
        }
        if (samplingHost != null) {
            closeQuietly(samplingHost);
        }
        closeQuietly(planCopied);
        closeQuietly(cublas);
        closeQuietly(cublasWorkspace);
        closeQuietly(module);
        closeQuietly(stream);
        closeQuietly(device);
    }
}
