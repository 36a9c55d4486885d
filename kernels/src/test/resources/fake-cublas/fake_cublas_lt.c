/* A stand-in for libcublasLt.so.13: libcublas depends on it by soname, so it must be loaded first. */
int fake_cublas_lt_marker(void) { return 42; }
