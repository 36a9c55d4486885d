package dev.cascade.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Small helpers for tests that write, damage and re-read model files. */
public final class TestFiles {
    private TestFiles() {
    }

    public static float[] randomFloats(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian() * 0.5f;
        }
        return v;
    }

    public static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path p, byte[] bytes) {
        try {
            return Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Position of the first occurrence of {@code text} (UTF-8) in {@code bytes}; fails when absent. */
    public static int indexOf(byte[] bytes, String text) {
        byte[] pattern = text.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("'" + text + "' not found");
    }

    public static void putLong(byte[] bytes, int at, long v) {
        for (int i = 0; i < 8; i++) {
            bytes[at + i] = (byte) (v >>> (8 * i));
        }
    }

    public static void putInt(byte[] bytes, int at, int v) {
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (v >>> (8 * i));
        }
    }

    public static byte[] prefix(byte[] bytes, int length) {
        return Arrays.copyOf(bytes, length);
    }
}
