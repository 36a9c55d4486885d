package dev.cascade.kernels.cuda.driver;

import jcuda.NativePointerObject;
import jcuda.Pointer;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one kernel launch, in the kernel's parameter order and with its C types:
 * {@code ptr} for a device pointer (8 bytes), {@code i32} for int, {@code i64} for long long,
 * {@code f32} for float. A mismatch with the kernel's signature is not detected by CUDA, so each
 * launch site in {@code CudaKernels} mirrors its kernel's signature line by line.
 */
public final class KernelArgs {
    private final List<NativePointerObject> values = new ArrayList<>(20);
    private final StringBuilder description = new StringBuilder();

    public KernelArgs ptr(long deviceAddress) {
        values.add(Pointer.to(new long[] {deviceAddress}));
        return note("0x" + Long.toHexString(deviceAddress));
    }

    public KernelArgs i32(int v) {
        values.add(Pointer.to(new int[] {v}));
        return note(Integer.toString(v));
    }

    public KernelArgs i64(long v) {
        values.add(Pointer.to(new long[] {v}));
        return note(v + "L");
    }

    public KernelArgs f32(float v) {
        values.add(Pointer.to(new float[] {v}));
        return note(v + "f");
    }

    private KernelArgs note(String v) {
        if (!description.isEmpty()) {
            description.append(", ");
        }
        description.append(v);
        return this;
    }

    /** The kernelParams array cuLaunchKernel takes: a pointer to each argument's value. */
    Pointer toPointer() {
        return Pointer.to(values.toArray(new NativePointerObject[0]));
    }

    @Override
    public String toString() {
        return description.toString();
    }
}
