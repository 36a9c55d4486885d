package dev.cascade.kernels;

/** A backend's paged key/value cache, laid out as {@link KvLayout} says. */
public interface KvCache {
    KvLayout layout();
}
