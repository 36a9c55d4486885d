package dev.cascade.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens a shared library for the foreign-function API and says precisely why one cannot be opened:
 * {@link SymbolLookup#libraryLookup} reports only "cannot open", so on failure the library is
 * opened again through libc's dlopen to read dlerror (a missing dependency, a wrong ELF class, a
 * file that is not a library).
 */
public final class NativeLibrary {
    private static final int RTLD_NOW = 2;

    private NativeLibrary() {
    }

    /** The library's symbols, kept loaded as long as {@code arena} lives. */
    public static SymbolLookup open(Path file, Arena arena) {
        try {
            return SymbolLookup.libraryLookup(file, arena);
        } catch (IllegalArgumentException e) {
            throw new UnsatisfiedLinkError("cannot load " + file + ": " + dlerror(file.toString()).orElse(e.getMessage()));
        }
    }

    /** Whether a library the dynamic linker finds by this name (e.g. libcuda.so.1) opens; if not, dlerror's reason. */
    public static Optional<String> whyNotLoadable(String name) {
        try {
            SymbolLookup.libraryLookup(name, Arena.global());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(dlerror(name).orElse(e.getMessage()));
        }
    }

    /** dlopen's own reason for refusing the library, or empty where it opens (or dlopen is unreachable). */
    public static Optional<String> dlerror(String library) {
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Optional<MemorySegment> dlopen = libc.find("dlopen");
            Optional<MemorySegment> dlerror = libc.find("dlerror");
            if (dlopen.isEmpty() || dlerror.isEmpty()) {
                return Optional.empty();
            }
            MethodHandle open = linker.downcallHandle(dlopen.get(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle error = linker.downcallHandle(dlerror.get(), FunctionDescriptor.of(ValueLayout.ADDRESS));
            try (Arena a = Arena.ofConfined()) {
                MemorySegment handle = (MemorySegment) open.invokeExact(a.allocateFrom(library), RTLD_NOW);
                if (!handle.equals(MemorySegment.NULL)) {
                    return Optional.empty(); // it opens now; leave it loaded, as libraryLookup would have
                }
                MemorySegment message = (MemorySegment) error.invokeExact();
                return message.equals(MemorySegment.NULL) ? Optional.empty()
                        : Optional.of(message.reinterpret(4096).getString(0));
            }
        } catch (Throwable t) {
            return Optional.empty();
        }
    }
}
