package dev.cascade.kernels;

/** A backend's float32 [rows][width] buffer of activations. */
public interface Activations {
    /** How many rows it can hold. */
    int capacity();

    int width();
}
