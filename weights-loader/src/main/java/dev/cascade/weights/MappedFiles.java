package dev.cascade.weights;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Maps whole files read-only into an arena, with the errors a user can act on. */
public final class MappedFiles {
    private MappedFiles() {
    }

    public static MemorySegment map(Path path, Arena arena) {
        if (!Files.exists(path)) {
            throw new ModelFormatException(path, "does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new ModelFormatException(path, "is not a regular file");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new ModelFormatException(path, "file is empty");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (IOException e) {
            throw new ModelFormatException(path, "cannot read: " + e.getMessage(), e);
        }
    }
}
