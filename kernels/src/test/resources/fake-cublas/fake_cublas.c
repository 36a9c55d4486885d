/* A stand-in for libcublas.so.13, compiled by CublasBindingTest with gcc, to check the foreign
 * function binding where no GPU is: the same signatures as cublas_api.h, "device" pointers that
 * are host memory, and a real column-major product for the types the backend uses. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

extern int fake_cublas_lt_marker(void);

typedef void *handle_t;
static handle_t const HANDLE = (handle_t)0x1234;
static void *stream_seen;
static void *workspace_seen;
static size_t workspace_bytes_seen;

int cublasCreate_v2(handle_t *h) { *h = HANDLE; return fake_cublas_lt_marker() == 42 ? 0 : 14; }
int cublasDestroy_v2(handle_t h) { return h == HANDLE ? 0 : 7; }
int cublasSetStream_v2(handle_t h, void *s) { stream_seen = s; return h == HANDLE ? 0 : 7; }
int cublasSetMathMode(handle_t h, int mode) { return h == HANDLE && mode == 0 ? 0 : 7; }
int cublasSetWorkspace_v2(handle_t h, void *w, size_t n) { workspace_seen = w; workspace_bytes_seen = n; return 0; }
int cublasGetVersion_v2(handle_t h, int *v) { *v = 130100; return h == HANDLE ? 0 : 7; }
const char *cublasGetStatusString(int s) { return s == 15 ? "the fake supports F32 and BF16 inputs only" : "fake status"; }

/* for the test to read back what the binding passed */
void *fake_stream_seen(void) { return stream_seen; }
size_t fake_workspace_bytes_seen(void) { return workspace_bytes_seen; }

static float element(const void *m, int type, long long i) {
    if (type == 0) return ((const float *)m)[i];
    uint32_t bits = (uint32_t)((const uint16_t *)m)[i] << 16; /* CUDA_R_16BF */
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static int gemm(int ta, int tb, int m, int n, int k, const float *alpha, const void *A, int at, int lda,
                long long sa, const void *B, int bt, int ldb, long long sb, const float *beta, void *C, int ct, int ldc,
                long long sc, int batch, int compute, int algo) {
    if (compute != 68 || algo != -1 || ct != 0) return 7;
    if ((at != 0 && at != 14) || bt != at) return 15;
    for (int bi = 0; bi < batch; bi++) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float sum = 0;
                for (int p = 0; p < k; p++) {
                    long long ai = ta ? (long long)i * lda + p : (long long)p * lda + i;
                    long long bj = tb ? (long long)p * ldb + j : (long long)j * ldb + p;
                    sum += element(A, at, bi * sa + ai) * element(B, bt, bi * sb + bj);
                }
                float *c = (float *)C + bi * sc + (long long)j * ldc + i;
                *c = *alpha * sum + *beta * *c;
            }
        }
    }
    return 0;
}

int cublasGemmEx(handle_t h, int ta, int tb, int m, int n, int k, const void *alpha, const void *A, int at, int lda,
                 const void *B, int bt, int ldb, const void *beta, void *C, int ct, int ldc, int compute, int algo) {
    return gemm(ta, tb, m, n, k, alpha, A, at, lda, 0, B, bt, ldb, 0, beta, C, ct, ldc, 0, 1, compute, algo);
}

int cublasGemmStridedBatchedEx(handle_t h, int ta, int tb, int m, int n, int k, const void *alpha, const void *A,
                               int at, int lda, long long sa, const void *B, int bt, int ldb, long long sb,
                               const void *beta, void *C, int ct, int ldc, long long sc, int batch, int compute,
                               int algo) {
    return gemm(ta, tb, m, n, k, alpha, A, at, lda, sa, B, bt, ldb, sb, beta, C, ct, ldc, sc, batch, compute, algo);
}
