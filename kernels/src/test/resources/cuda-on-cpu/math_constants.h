// CPU stand-in for math_constants.h (see cuda_on_cpu.h).
#pragma once
#include <math.h>
#define CUDART_INF_F INFINITY
