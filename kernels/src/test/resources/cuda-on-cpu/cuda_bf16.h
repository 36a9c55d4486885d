// CPU stand-in for cuda_bf16.h (see cuda_on_cpu.h): BF16 is the top half of a float32, rounded to nearest even.
#pragma once
#include <stdint.h>
#include <string.h>

#include "cuda_fp16.h"

struct __nv_bfloat16 {
    uint16_t bits;
};

inline float __bfloat162float(__nv_bfloat16 b) {
    uint32_t u = (uint32_t)b.bits << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

inline __nv_bfloat16 __float2bfloat16_rn(float v) {
    uint32_t u;
    memcpy(&u, &v, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) {
        return __nv_bfloat16{0x7fc0};
    }
    u += 0x7fffu + ((u >> 16) & 1u);
    return __nv_bfloat16{(uint16_t)(u >> 16)};
}
