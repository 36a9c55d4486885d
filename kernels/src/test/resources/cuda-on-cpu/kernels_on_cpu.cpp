// Runs every kernel of src/main/cuda on the CPU (cuda_on_cpu.h) with the launch shapes
// dev.cascade.kernels.cuda.CudaKernels uses, on random inputs of odd sizes, against plain
// references written here in double. Prints one line per check; exits 1 if any failed.
// Built and run by KernelsOnCpuTest:
//   g++ -std=c++20 -O1 -pthread -ffp-contract=off -include cuda_on_cpu.h -I. -I<src/main/cuda> kernels_on_cpu.cpp
#include "cascade_kernels.cu"

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>

static int failures = 0;
static std::mt19937_64 rng(12345);

static std::vector<float> random_floats(size_t n, double scale) {
    std::uniform_real_distribution<double> d(-scale, scale);
    std::vector<float> v(n);
    for (auto& x : v) x = (float)d(rng);
    return v;
}

// the launch shapes of CudaKernels.java
static unsigned row_threads(long long n) {
    long long t = (n + 31) / 32 * 32;
    return (unsigned)(t < 32 ? 32 : t > 256 ? 256 : t);
}
static dim3 element_grid(long long n) {
    long long b = (n + 255) / 256;
    return dim3{(unsigned)(b < 1 ? 1 : b > 65536 ? 65536 : b), 1, 1};
}

static void check(const std::string& what, const std::vector<float>& got, const std::vector<double>& want, double bound) {
    double diff = 0, norm = 0;
    bool nan = false;
    for (size_t i = 0; i < want.size(); i++) {
        if (std::isnan(got[i])) nan = true;
        diff += (got[i] - want[i]) * (got[i] - want[i]);
        norm += want[i] * want[i];
    }
    double err = norm == 0 ? sqrt(diff) : sqrt(diff / norm);
    bool ok = !nan && err <= bound;
    if (!ok) failures++;
    printf("%s %s: relative error %.3g (bound %.3g)%s\n", ok ? "ok    " : "FAILED", what.c_str(), err, bound,
           nan ? ", NaN in the output" : "");
}

static std::vector<double> widen(const std::vector<float>& v) { return std::vector<double>(v.begin(), v.end()); }

static float bf16_round(float v) { return __bfloat162float(__float2bfloat16_rn(v)); }

static void conversions() {
    long long n = 1000;
    auto in = random_floats(n, 3);
    std::vector<__nv_bfloat16> b(n);
    std::vector<__half> h(n);
    emu::launch(convert_f32_to_bf16, element_grid(n), 256, in.data(), b.data(), n);
    emu::launch(convert_f32_to_f16, element_grid(n), 256, in.data(), h.data(), n);
    std::vector<float> back(n), backH(n);
    emu::launch(convert_bf16_to_f32, element_grid(n), 256, (const __nv_bfloat16*)b.data(), back.data(), n);
    emu::launch(convert_f16_to_f32, element_grid(n), 256, (const __half*)h.data(), backH.data(), n);
    std::vector<double> wantB(n), wantH(n);
    for (long long i = 0; i < n; i++) {
        wantB[i] = bf16_round(in[i]);
        wantH[i] = (double)(float)(_Float16)in[i];
    }
    check("convert f32 -> bf16 -> f32", back, wantB, 0);
    check("convert f32 -> f16 -> f32", backH, wantH, 0);

    // F16 saturates instead of overflowing
    std::vector<float> big = {1e6f, -1e6f, 70000.f, 1.f};
    std::vector<__half> hb(4);
    std::vector<float> hback(4);
    emu::launch(convert_f32_to_f16, element_grid(4), 256, big.data(), hb.data(), 4LL);
    emu::launch(convert_f16_to_f32, element_grid(4), 256, (const __half*)hb.data(), hback.data(), 4LL);
    check("f16 saturation", hback, {65504, -65504, 65504, 1}, 0);

    // packed half-precision rows from strided float rows
    int rows = 5, cols = 45, stride = 51;
    auto x = random_floats(rows * stride, 2);
    std::vector<__nv_bfloat16> packed(rows * cols);
    emu::launch(rows_f32_to_bf16, element_grid((long long)rows * cols), 256, (const float*)x.data(), stride,
                packed.data(), rows, cols);
    std::vector<float> got(rows * cols);
    std::vector<double> want(rows * cols);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            got[r * cols + c] = __bfloat162float(packed[r * cols + c]);
            want[r * cols + c] = bf16_round(x[r * stride + c]);
        }
    check("rows f32 -> bf16, strided", got, want, 0);
}

// ggml's formats, decoded the plain way
static float f16_bits(uint16_t b) { return __half2float(__half{b}); }

static void dequantization() {
    long long blocks = 37;
    std::uniform_int_distribution<int> byte(0, 255);
    std::vector<uint8_t> q8(blocks * 34), q4(blocks * 18);
    for (long long b = 0; b < blocks; b++) {
        __half d = __float2half_rn((float)(0.001 * (b + 1) * (b % 2 ? -1 : 1)));
        memcpy(&q8[b * 34], &d.bits, 2);
        memcpy(&q4[b * 18], &d.bits, 2);
        for (int j = 0; j < 32; j++) q8[b * 34 + 2 + j] = (uint8_t)byte(rng);
        for (int j = 0; j < 16; j++) q4[b * 18 + 2 + j] = (uint8_t)byte(rng);
    }
    std::vector<float> out8(blocks * 32), out4(blocks * 32);
    std::vector<__nv_bfloat16> out8b(blocks * 32), out4b(blocks * 32);
    emu::launch(dequantize_q8_0_to_f32, element_grid(blocks * 32), 256, (const uint8_t*)q8.data(), out8.data(), blocks);
    emu::launch(dequantize_q4_0_to_f32, element_grid(blocks * 32), 256, (const uint8_t*)q4.data(), out4.data(), blocks);
    emu::launch(dequantize_q8_0_to_bf16, element_grid(blocks * 32), 256, (const uint8_t*)q8.data(), out8b.data(), blocks);
    emu::launch(dequantize_q4_0_to_bf16, element_grid(blocks * 32), 256, (const uint8_t*)q4.data(), out4b.data(), blocks);
    std::vector<double> want8(blocks * 32), want4(blocks * 32), want8b(blocks * 32), want4b(blocks * 32);
    std::vector<float> got8b(blocks * 32), got4b(blocks * 32);
    for (long long b = 0; b < blocks; b++) {
        uint16_t dbits;
        memcpy(&dbits, &q8[b * 34], 2);
        float d = f16_bits(dbits);
        for (int j = 0; j < 32; j++) {
            want8[b * 32 + j] = d * (float)(int8_t)q8[b * 34 + 2 + j];
            want8b[b * 32 + j] = bf16_round(d * (float)(int8_t)q8[b * 34 + 2 + j]);
        }
        for (int j = 0; j < 16; j++) {
            int packed = q4[b * 18 + 2 + j];
            want4[b * 32 + j] = d * (float)((packed & 15) - 8);
            want4[b * 32 + j + 16] = d * (float)((packed >> 4) - 8);
            want4b[b * 32 + j] = bf16_round(d * (float)((packed & 15) - 8));
            want4b[b * 32 + j + 16] = bf16_round(d * (float)((packed >> 4) - 8));
        }
    }
    for (long long i = 0; i < blocks * 32; i++) {
        got8b[i] = __bfloat162float(out8b[i]);
        got4b[i] = __bfloat162float(out4b[i]);
    }
    check("dequantize Q8_0 -> f32", out8, want8, 0);
    check("dequantize Q4_0 -> f32", out4, want4, 0);
    check("dequantize Q8_0 -> bf16", got8b, want8b, 0);
    check("dequantize Q4_0 -> bf16", got4b, want4b, 0);
}

static void embedding() {
    int vocab = 11, dim = 45, outStride = 50;
    auto table = random_floats(vocab * dim, 1);
    std::vector<__nv_bfloat16> tableB(vocab * dim);
    for (int i = 0; i < vocab * dim; i++) tableB[i] = __float2bfloat16_rn(table[i]);
    std::vector<int> tokens = {3, 10, 0, 3, 7};
    int rows = (int)tokens.size();
    std::vector<float> out(rows * outStride, NAN), outB(rows * outStride, NAN);
    emu::launch(embed_f32, dim3{(unsigned)rows}, row_threads(dim), (const float*)table.data(), (const int*)tokens.data(),
                out.data(), outStride, dim);
    emu::launch(embed_bf16, dim3{(unsigned)rows}, row_threads(dim), (const __nv_bfloat16*)tableB.data(),
                (const int*)tokens.data(), outB.data(), outStride, dim);
    std::vector<float> got, gotB;
    std::vector<double> want, wantB;
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < dim; i++) {
            got.push_back(out[r * outStride + i]);
            gotB.push_back(outB[r * outStride + i]);
            want.push_back(table[tokens[r] * dim + i]);
            wantB.push_back(bf16_round(table[tokens[r] * dim + i]));
        }
    check("embed f32", got, want, 0);
    check("embed bf16", gotB, wantB, 0);
}

static void norms_and_elementwise() {
    for (int dim : {45, 4099}) {
        int rows = 3;
        auto x = random_floats(rows * dim, 3);
        auto delta = random_floats(rows * dim, 1);
        auto gain = random_floats(dim, 2);
        float eps = 1e-5f;
        std::vector<float> out(rows * dim, NAN);
        emu::launch(rms_norm, dim3{(unsigned)rows}, row_threads(dim), (const float*)x.data(), (const float*)gain.data(),
                    out.data(), dim, eps);
        std::vector<double> want(rows * dim), wantResidual(rows * dim), wantAdd(rows * dim);
        for (int r = 0; r < rows; r++) {
            double ss = 0, ss2 = 0;
            for (int i = 0; i < dim; i++) {
                ss += (double)x[r * dim + i] * x[r * dim + i];
                double v = (double)x[r * dim + i] + delta[r * dim + i];
                wantResidual[r * dim + i] = v;
                ss2 += v * v;
            }
            double inv = 1 / sqrt(ss / dim + eps), inv2 = 1 / sqrt(ss2 / dim + eps);
            for (int i = 0; i < dim; i++) {
                want[r * dim + i] = x[r * dim + i] * inv * gain[i];
                wantAdd[r * dim + i] = wantResidual[r * dim + i] * inv2 * gain[i];
            }
        }
        check("rms_norm " + std::to_string(dim), out, want, 1e-6);
        std::vector<float> residual = x, out2(rows * dim, NAN);
        emu::launch(add_rms_norm, dim3{(unsigned)rows}, row_threads(dim), residual.data(), (const float*)delta.data(),
                    (const float*)gain.data(), out2.data(), dim, eps);
        check("add_rms_norm " + std::to_string(dim), out2, wantAdd, 1e-6);
        check("add_rms_norm's residual " + std::to_string(dim), residual, wantResidual, 1e-7);
    }
    long long n = 1037;
    auto a = random_floats(n, 4), b = random_floats(n, 2);
    std::vector<float> sum = a, gate = a;
    emu::launch(add_in_place, element_grid(n), 256, sum.data(), (const float*)b.data(), n);
    emu::launch(silu_mul, element_grid(n), 256, gate.data(), (const float*)b.data(), n);
    std::vector<double> wantSum(n), wantSilu(n);
    for (long long i = 0; i < n; i++) {
        wantSum[i] = (double)a[i] + b[i];
        wantSilu[i] = a[i] / (1 + exp(-(double)a[i])) * b[i];
    }
    check("add_in_place", sum, wantSum, 1e-7);
    check("silu_mul", gate, wantSilu, 1e-6);

    int rows = 4, stride = 40, width = 33;
    auto x = random_floats(rows * stride, 1);
    auto bias = random_floats(width, 1);
    std::vector<float> xb = x;
    emu::launch(add_bias, element_grid((long long)rows * width), 256, xb.data(), stride, (const float*)bias.data(), rows, width);
    std::vector<double> wantBias(rows * stride);
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < stride; i++) wantBias[r * stride + i] = x[r * stride + i] + (i < width ? (double)bias[i] : 0);
    check("add_bias (strided, the rest untouched)", xb, wantBias, 1e-7);

    std::vector<int> index = {3, 0, 2};
    std::vector<float> gathered(3 * stride, NAN);
    emu::launch(gather_rows, dim3{3}, row_threads(stride), (const float*)x.data(), stride, (const int*)index.data(),
                gathered.data());
    std::vector<double> wantGather;
    for (int r : index)
        for (int i = 0; i < stride; i++) wantGather.push_back(x[r * stride + i]);
    check("gather_rows", gathered, wantGather, 0);
}

static void rotary() {
    for (int interleaved : {0, 1}) {
        for (int headDim : {10, 64}) {
            int heads = 6, kvHeads = 2, qStride = heads * headDim + 3, kStride = kvHeads * headDim;
            std::vector<int> positions = {0, 1, 17, 4095, 100000};
            int rows = (int)positions.size();
            std::vector<double> freq(headDim / 2);
            for (int i = 0; i < headDim / 2; i++) freq[i] = 1.0 / pow(500000.0, 2.0 * i / headDim) / (i % 3 ? 1 : 8);
            auto q = random_floats(rows * qStride, 1), k = random_floats(rows * kStride, 1);
            std::vector<float> qr = q, kr = k;
            emu::launch(rope, dim3{(unsigned)rows}, row_threads((long long)(heads + kvHeads) * headDim / 2), qr.data(),
                        qStride, kr.data(), kStride, (const int*)positions.data(), (const double*)freq.data(), heads,
                        kvHeads, headDim, interleaved);
            std::vector<double> wantQ = widen(q), wantK = widen(k);
            for (int r = 0; r < rows; r++)
                for (int h = 0; h < heads + kvHeads; h++) {
                    std::vector<double>& w = h < heads ? wantQ : wantK;
                    long long base = h < heads ? (long long)r * qStride + h * headDim : (long long)r * kStride + (h - heads) * headDim;
                    for (int i = 0; i < headDim / 2; i++) {
                        double angle = positions[r] * freq[i];
                        double c = (float)cos(angle), s = (float)sin(angle);
                        long long a = base + (interleaved ? 2 * i : i), b = base + (interleaved ? 2 * i + 1 : i + headDim / 2);
                        double x0 = w[a], x1 = w[b];
                        w[a] = x0 * c - x1 * s;
                        w[b] = x0 * s + x1 * c;
                    }
                }
            std::string name = std::string("rope ") + (interleaved ? "interleaved" : "halves") + " " + std::to_string(headDim);
            check(name + " q (the row's padding untouched)", qr, wantQ, 1e-6);
            check(name + " k", kr, wantK, 1e-6);
        }
    }
}

static void kv_cache_writes() {
    int rows = 4, kvDim = 24, kStride = 30, slots = 20;
    auto k = random_floats(rows * kStride, 1), v = random_floats(rows * kStride, 1);
    std::vector<int> slot = {7, 0, 19, 3};
    std::vector<float> kc(slots * kvDim, 0), vc(slots * kvDim, 0);
    emu::launch(write_kv, dim3{(unsigned)rows}, row_threads(kvDim), (const float*)k.data(), kStride, (const float*)v.data(),
                kStride, (const int*)slot.data(), kc.data(), vc.data(), kvDim);
    std::vector<double> wantK(slots * kvDim, 0), wantV(slots * kvDim, 0);
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < kvDim; i++) {
            wantK[slot[r] * kvDim + i] = k[r * kStride + i];
            wantV[slot[r] * kvDim + i] = v[r * kStride + i];
        }
    check("write_kv keys", kc, wantK, 0);
    check("write_kv values", vc, wantV, 0);
}

// Causal attention over a paged cache in double: what both attention kernels must give.
static std::vector<double> reference_attention(const std::vector<float>& q, int qStride, const std::vector<float>& kc,
                                               const std::vector<float>& vc, const std::vector<int>& pos,
                                               const std::vector<int>& rowSeq, const std::vector<int>& tables,
                                               int blocksPer, int blockSize, int heads, int kvHeads, int headDim,
                                               float scale, int outStride) {
    int rows = (int)pos.size(), kvDim = kvHeads * headDim;
    std::vector<double> want((size_t)rows * outStride);
    for (int r = 0; r < rows; r++)
        for (int h = 0; h < heads; h++) {
            int kvh = h / (heads / kvHeads), n = pos[r] + 1;
            std::vector<double> score(n);
            double max = -INFINITY, sum = 0;
            for (int t = 0; t < n; t++) {
                long long slot = (long long)tables[rowSeq[r] * blocksPer + t / blockSize] * blockSize + t % blockSize;
                double dot = 0;
                for (int i = 0; i < headDim; i++) dot += (double)q[(size_t)r * qStride + h * headDim + i] * kc[slot * kvDim + kvh * headDim + i];
                score[t] = dot * scale;
                max = std::max(max, score[t]);
            }
            for (int t = 0; t < n; t++) sum += score[t] = exp(score[t] - max);
            for (int i = 0; i < headDim; i++) {
                double o = 0;
                for (int t = 0; t < n; t++) {
                    long long slot = (long long)tables[rowSeq[r] * blocksPer + t / blockSize] * blockSize + t % blockSize;
                    o += score[t] / sum * vc[slot * kvDim + kvh * headDim + i];
                }
                want[(size_t)r * outStride + h * headDim + i] = o;
            }
        }
    return want;
}

using AttentionKernel = void (*)(const float*, int, const float*, const float*, const int*, const int*, const int*, int, int,
                                 int, int, int, float, int, float*, int, float*);

static void attention_case(AttentionKernel kernel, int heads, int kvHeads, int headDim) {
    int blockSize = 16, sequences = 4, blocksPer = 12;  // 192 positions per sequence
    int slots = sequences * blocksPer * blockSize, kvDim = kvHeads * headDim;
    auto kc = random_floats((size_t)slots * kvDim, 1), vc = random_floats((size_t)slots * kvDim, 1);
    // sequence s owns blocks s, s + 4, s + 8, ...: not contiguous
    std::vector<int> tables(sequences * blocksPer);
    for (int s = 0; s < sequences; s++)
        for (int i = 0; i < blocksPer; i++) tables[s * blocksPer + i] = s + i * sequences;
    // a prefill chunk of sequence 0 (positions 0..5), then decode rows of the others
    std::vector<int> rowSeq, pos;
    for (int p = 0; p < 6; p++) {
        rowSeq.push_back(0);
        pos.push_back(p);
    }
    rowSeq.insert(rowSeq.end(), {1, 2, 3});
    pos.insert(pos.end(), {150, 70, 0});
    int rows = (int)rowSeq.size(), qStride = heads * headDim + 5, outStride = heads * headDim;
    int longest = 151;
    auto q = random_floats((size_t)rows * qStride, 2);
    float scale = (float)(1.0 / sqrt((double)headDim));

    auto want = reference_attention(q, qStride, kc, vc, pos, rowSeq, tables, blocksPer, blockSize, heads, kvHeads, headDim,
                                    scale, outStride);
    std::string name = "attention " + std::to_string(heads) + "/" + std::to_string(kvHeads) + " heads of " + std::to_string(headDim);
    for (int splits : {1, 4}) {
        int perSplit = (longest + splits - 1) / splits;
        std::vector<float> out((size_t)rows * outStride, NAN), partial((size_t)rows * heads * splits * (headDim + 2), NAN);
        emu::launch(kernel, dim3{(unsigned)rows, (unsigned)heads, (unsigned)splits}, 128, (const float*)q.data(), qStride,
                    (const float*)kc.data(), (const float*)vc.data(), (const int*)pos.data(), (const int*)rowSeq.data(),
                    (const int*)tables.data(), blocksPer, blockSize, heads, kvHeads, headDim, scale, perSplit, out.data(),
                    outStride, partial.data());
        if (splits > 1) {
            emu::launch(attention_combine, dim3{(unsigned)rows, (unsigned)heads}, row_threads(headDim),
                        (const float*)partial.data(), splits, heads, headDim, out.data(), outStride);
        }
        check(name + ", " + std::to_string(splits) + " split(s)", out, want, 1e-5);
    }
}

// The host Sampler's choice (dev.cascade.engine.sampling.Sampler, minP 0, no penalties), written
// plainly with a full sort: what sample_rows must pick.
static int reference_sample(const float* l, int vocab, float temperature, int topK, float topP, double u, int* keptOut = nullptr) {
    int argmax = 0;
    for (int i = 1; i < vocab; i++)
        if (l[i] > l[argmax]) argmax = i;
    if (temperature == 0.f) return argmax;
    float max = l[argmax], invT = 1.f / temperature;
    std::vector<float> p(vocab);
    double total = 0;
    for (int i = 0; i < vocab; i++) total += p[i] = expf((l[i] - max) * invT);
    bool useK = topK > 0 && topK < vocab, useP = topP < 1.f;
    if (!useK && !useP) {
        double target = u * total, cumulative = 0;
        for (int i = 0; i < vocab; i++) {
            cumulative += p[i];
            if (target < cumulative) return i;
        }
        return vocab - 1;
    }
    std::vector<int> order(vocab);
    for (int i = 0; i < vocab; i++) order[i] = i;
    std::sort(order.begin(), order.end(), [&](int a, int b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
    int count = useK ? topK : vocab;
    double kept = total;
    if (useK) {
        kept = 0;
        for (int j = count - 1; j >= 0; j--) kept += p[order[j]];
    }
    int last = count - 1;
    if (useP) {
        double target = topP * kept, cumulative = 0;
        int j = 0;
        for (; j < count - 1; j++) {
            cumulative += p[order[j]];
            if (cumulative >= target) break;
        }
        last = j;
    }
    if (keptOut) *keptOut = last + 1;
    double mass = 0;
    for (int j = 0; j <= last; j++) mass += p[order[j]];
    double target = u * mass, cumulative = 0;
    for (int j = 0; j <= last; j++) {
        cumulative += p[order[j]];
        if (target < cumulative) return order[j];
    }
    return order[last];
}

static void sampling() {
    struct Case {
        float temperature;
        int topK;
        float topP;
        double u;
        double scale;  // of the logits: small makes a flat distribution
        bool hostExpected;  // more candidates than the kernel sorts: token -1, the host samples
    };
    std::vector<Case> cases = {
        {0.f, 0, 1.f, 0.5, 4, false},       // greedy (row 0 also gets a tie at its maximum)
        {0.8f, 0, 1.f, 0.37, 4, false},     // temperature alone: id order
        {1.f, 40, 1.f, 0.9, 4, false},      // top-k
        {0.7f, 0, 0.9f, 0.5, 4, false},     // top-p
        {1.2f, 50, 0.8f, 0.05, 4, false},   // top-k then top-p
        {1.f, 0, 0.99f, 0.3, 0.01, true},   // a flat distribution's nucleus: too wide
        {1.f, 2000, 1.f, 0.3, 4, true},     // k beyond the kernel's candidates
        {1.f, 5, 1.f, 0.999999, 4, false},  // a draw at the very end
        {1.f, 0, 1.f, 0.999999, 4, false},
        {0.5f, 1, 1.f, 0.7, 4, false},      // top-1 is greedy
    };
    std::uniform_real_distribution<double> uniform(0, 1);
    float temps[] = {0.5f, 1.f, 1.5f};
    int ks[] = {0, 10, 100};
    float ps[] = {1.f, 0.5f, 0.95f};
    for (int i = 0; i < 45; i++) {
        cases.push_back({temps[i % 3], ks[(i / 3) % 3], ps[(i / 9) % 3], uniform(rng), 4, false});
    }
    int rows = (int)cases.size(), vocab = 3001, stride = vocab + 7;
    std::vector<float> logits((size_t)rows * stride);
    std::vector<float> temperature(rows), topP(rows);
    std::vector<int> topK(rows);
    std::vector<double> u(rows);
    for (int r = 0; r < rows; r++) {
        auto row = random_floats(vocab, cases[r].scale);
        std::copy(row.begin(), row.end(), logits.begin() + (size_t)r * stride);
        temperature[r] = cases[r].temperature;
        topK[r] = cases[r].topK;
        topP[r] = cases[r].topP;
        u[r] = cases[r].u;
    }
    logits[17] = logits[2000] = 50.f;  // row 0: two tokens share the maximum
    std::vector<int> tokens(rows, -2);
    std::vector<float> logprobs(rows, NAN);
    emu::launch(sample_rows, dim3{(unsigned)rows}, 256, (const float*)logits.data(), stride, vocab,
                (const float*)temperature.data(), (const int*)topK.data(), (const float*)topP.data(),
                (const double*)u.data(), tokens.data(), logprobs.data());
    int wrong = 0, wrongLogprob = 0, host = 0;
    for (int r = 0; r < rows; r++) {
        const float* l = logits.data() + (size_t)r * stride;
        if (cases[r].hostExpected) {
            if (tokens[r] != -1) {
                printf("  row %d: expected -1 (sample on the host), got %d\n", r, tokens[r]);
                wrong++;
            }
            host++;
            continue;
        }
        int kept = 0;
        int want = reference_sample(l, vocab, temperature[r], topK[r], topP[r], u[r], &kept);
        if (tokens[r] == -1 && kept > SAMPLE_CANDIDATES / 2) {
            host++;  // a wide nucleus: more candidates than the kernel sorts is plausible
            continue;
        }
        if (tokens[r] != want) {
            printf("  row %d (T %.2f, k %d, p %.2f, u %.6f): token %d, the host's %d\n", r, temperature[r], topK[r], topP[r],
                   u[r], tokens[r], want);
            wrong++;
            continue;
        }
        double max = -INFINITY, z = 0;
        for (int i = 0; i < vocab; i++) max = std::max(max, (double)l[i]);
        for (int i = 0; i < vocab; i++) z += exp(l[i] - max);
        double logprob = l[want] - max - log(z);
        if (fabs(logprobs[r] - logprob) > 1e-5) {
            printf("  row %d: log-probability %.7f, want %.7f\n", r, logprobs[r], logprob);
            wrongLogprob++;
        }
    }
    bool ok = wrong == 0 && wrongLogprob == 0 && tokens[0] == 17;
    if (!ok) failures++;
    printf("%s sample_rows: %d rows, %d tokens differ from the host's choice, %d log-probabilities off, %d rows left to "
           "the host as expected%s\n", ok ? "ok    " : "FAILED", rows, wrong, wrongLogprob, host,
           tokens[0] == 17 ? "" : ", and the greedy tie did not go to the lower id");
}

using PrefillKernel = void (*)(const float*, int, const float*, const float*, const int*, const int*, const int*, int, int, int,
                               int, int, float, const int*, const int*, float*, int);

// Prefill chunks in tiles of up to 16 rows: a chunk whose prefix is already cached (positions
// 37..76, so 16 + 16 + 8 rows), a chunk from the start (0..18: 16 + 3), and a decode row alone.
static void prefill_attention_case(PrefillKernel kernel, int heads, int kvHeads, int headDim) {
    int blockSize = 16, sequences = 3, blocksPer = 8;  // 128 positions per sequence
    int slots = sequences * blocksPer * blockSize, kvDim = kvHeads * headDim;
    auto kc = random_floats((size_t)slots * kvDim, 1), vc = random_floats((size_t)slots * kvDim, 1);
    std::vector<int> tables(sequences * blocksPer);
    for (int s = 0; s < sequences; s++)
        for (int i = 0; i < blocksPer; i++) tables[s * blocksPer + i] = s + i * sequences;
    std::vector<int> rowSeq, pos, tileFirst, tileRows;
    auto chunk = [&](int seq, int from, int to) {
        for (int p = from; p <= to; p++) {
            if ((p - from) % 16 == 0) {
                tileFirst.push_back((int)rowSeq.size());
                tileRows.push_back(std::min(16, to - p + 1));
            }
            rowSeq.push_back(seq);
            pos.push_back(p);
        }
    };
    chunk(0, 37, 76);
    chunk(1, 0, 18);
    chunk(2, 100, 100);
    int rows = (int)rowSeq.size(), qStride = heads * headDim + 3, outStride = heads * headDim + 1;
    auto q = random_floats((size_t)rows * qStride, 2);
    float scale = (float)(1.0 / sqrt((double)headDim));
    auto want = reference_attention(q, qStride, kc, vc, pos, rowSeq, tables, blocksPer, blockSize, heads, kvHeads, headDim,
                                    scale, outStride);
    std::vector<float> out((size_t)rows * outStride, NAN);
    for (int r = 0; r < rows; r++) out[(size_t)r * outStride + heads * headDim] = 0;  // the padding column stays
    emu::launch(kernel, dim3{(unsigned)tileFirst.size(), (unsigned)heads}, 128, (const float*)q.data(), qStride,
                (const float*)kc.data(), (const float*)vc.data(), (const int*)pos.data(), (const int*)rowSeq.data(),
                (const int*)tables.data(), blocksPer, blockSize, heads, kvHeads, headDim, scale,
                (const int*)tileFirst.data(), (const int*)tileRows.data(), out.data(), outStride);
    check("prefill attention " + std::to_string(heads) + "/" + std::to_string(kvHeads) + " heads of " + std::to_string(headDim)
              + ", " + std::to_string(tileFirst.size()) + " tiles", out, want, 1e-5);
}

int main() {
    conversions();
    dequantization();
    embedding();
    norms_and_elementwise();
    rotary();
    kv_cache_writes();
    attention_case(paged_attention_d32, 4, 2, 8);
    attention_case(paged_attention_d32, 3, 1, 32);
    attention_case(paged_attention_d64, 4, 2, 64);
    attention_case(paged_attention_d128, 3, 3, 80);
    attention_case(paged_attention_d128, 4, 1, 128);
    attention_case(paged_attention_d256, 2, 2, 256);
    prefill_attention_case(prefill_attention_d32, 4, 2, 8);
    prefill_attention_case(prefill_attention_d32, 3, 1, 32);
    prefill_attention_case(prefill_attention_d64, 4, 2, 64);
    prefill_attention_case(prefill_attention_d128, 3, 3, 80);
    prefill_attention_case(prefill_attention_d128, 4, 1, 128);
    sampling();
    printf("%d failed\n", failures);
    return failures == 0 ? 0 : 1;
}
