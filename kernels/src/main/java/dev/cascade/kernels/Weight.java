package dev.cascade.kernels;

import dev.cascade.weights.DType;

/** A weight tensor prepared by a backend. Matrices are [rows][cols] = [out][in]; a vector has one column. */
public interface Weight {
    String name();

    DType dtype();

    int rows();

    int cols();
}
