// CPU stand-in for cuda_fp16.h (see cuda_on_cpu.h): F16 through GCC's _Float16, round to nearest even.
#pragma once
#include <stdint.h>
#include <string.h>

struct __half {
    uint16_t bits;
};

inline float __half2float(__half h) {
    _Float16 f;
    memcpy(&f, &h.bits, 2);
    return (float)f;
}

inline __half __float2half_rn(float v) {
    _Float16 f = (_Float16)v;
    __half h;
    memcpy(&h.bits, &f, 2);
    return h;
}

inline __half __ushort_as_half(unsigned short bits) {
    return __half{bits};
}
