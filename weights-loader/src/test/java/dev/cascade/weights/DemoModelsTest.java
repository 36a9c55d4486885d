package dev.cascade.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoModelsTest {

    @Test
    void namesResolveUnderCascadeHome(@TempDir Path home) {
        ModelConfig c = new ModelConfig("llama", 32, 64, 1, 2, 2, 16, 64, 64, 1e-5f, 10000f, null,
                RopePairing.HALVES, false, true, 0);
        SyntheticModel.random(c, 1).writeHf(home.resolve("models/demo/small"), DType.F32, 1);
        String before = System.getProperty("cascade.home");
        System.setProperty("cascade.home", home.toString());
        try {
            assertEquals(home.resolve("models/demo/small").toAbsolutePath(), DemoModels.folder("demo-small").toAbsolutePath());
            try (Model m = ModelLoader.openWeights("demo-small")) {
                assertEquals(32, m.config().dim());
            }
            // absent under cascade.home: the search falls through to the checkout, which ships demo-base
            Path base = DemoModels.folder("demo-base").toAbsolutePath();
            assertTrue(!base.startsWith(home.toAbsolutePath()) && base.endsWith(Path.of("models/demo/base")), base.toString());
        } finally {
            if (before == null) {
                System.clearProperty("cascade.home");
            } else {
                System.setProperty("cascade.home", before);
            }
        }
        ModelFormatException unknown = assertThrows(ModelFormatException.class, () -> DemoModels.folder("demo-huge"));
        assertTrue(unknown.getMessage().contains("known: demo-tiny, demo-small, demo-base"), unknown.getMessage());
    }
}
