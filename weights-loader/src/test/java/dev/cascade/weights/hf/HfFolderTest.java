package dev.cascade.weights.hf;

import dev.cascade.weights.DType;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.ModelLoader;
import dev.cascade.weights.Quantization;
import dev.cascade.weights.RopePairing;
import dev.cascade.weights.SyntheticModel;
import dev.cascade.weights.TensorNames;
import dev.cascade.weights.TestConfigs;
import dev.cascade.weights.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfFolderTest {
    @TempDir
    Path dir;

    private static void assertSameBytes(SyntheticModel m, Model loaded, DType dtype) {
        assertEquals(SyntheticModel.shapes(m.config()).size(), loaded.tensors().size());
        for (String name : SyntheticModel.shapes(m.config()).keySet()) {
            assertEquals(dtype, loaded.tensor(name).dtype(), name);
            assertArrayEquals(Quantization.encode(m.weights().get(name), dtype),
                    loaded.tensor(name).data().toArray(ValueLayout.JAVA_BYTE), name);
        }
    }

    @Test
    void llamaFoldersInEveryDtypeSingleAndShardedReadBackExactly() {
        SyntheticModel m = SyntheticModel.random(TestConfigs.llama(false), 21);
        for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            for (int shards : new int[] {1, 3}) {
                Path folder = dir.resolve(dtype + "-" + shards);
                m.writeHf(folder, dtype, shards);
                try (Model loaded = ModelLoader.loadWeights(folder)) {
                    assertEquals(Model.Format.SAFETENSORS, loaded.format());
                    assertEquals(m.config(), loaded.config());
                    assertEquals(RopePairing.HALVES, loaded.config().ropePairing());
                    assertEquals(shards, loaded.files().size());
                    assertSameBytes(m, loaded, dtype);
                    assertEquals(List.of(2), loaded.eosTokenIds());
                    assertEquals(1, loaded.bosTokenId());
                    assertTrue(loaded.summary().get("format").contains(shards + " file"));
                }
            }
        }
    }

    @Test
    void qwen2HasBiasesAndTiedEmbeddings() {
        SyntheticModel m = SyntheticModel.random(TestConfigs.qwen2(), 22);
        m.writeHf(dir, DType.BF16, 1);
        try (Model loaded = ModelLoader.loadWeights(dir)) {
            assertEquals(m.config(), loaded.config());
            assertTrue(loaded.config().attentionBias());
            assertTrue(loaded.tensors().containsKey(TensorNames.attnKBias(1)));
            assertFalse(loaded.tensors().containsKey(TensorNames.OUTPUT));
            assertSameBytes(m, loaded, DType.BF16);
        }
    }

    private Path config(String json) throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, json);
        return f;
    }

    private static final String LLAMA3 = """
            {"architectures": ["LlamaForCausalLM"], "hidden_size": 2048, "intermediate_size": 8192,
             "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64,
             "vocab_size": 128256, "max_position_embeddings": 131072, "rms_norm_eps": 1e-05,
             "rope_theta": 500000.0, "tie_word_embeddings": true, "attention_bias": false,
             "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "torch_dtype": "bfloat16",
             "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                              "original_max_position_embeddings": 8192, "rope_type": "llama3"}}
            """;

    @Test
    void llama32ConfigWithRopeScaling() throws IOException {
        HfConfig hf = HfConfig.read(config(LLAMA3));
        ModelConfig c = hf.config();
        assertEquals("llama", c.architecture());
        assertEquals(8, c.kvHeads());
        assertEquals(64, c.headDim());
        assertEquals(500000f, c.ropeTheta());
        assertEquals(new ModelConfig.RopeScaling("llama3", 32f, 1f, 4f, 8192), c.ropeScaling());
        assertTrue(c.tiedEmbeddings());
        assertEquals(List.of(128001, 128008, 128009), hf.eosTokenIds());
        assertEquals(128000, hf.bosTokenId());
        assertEquals("bfloat16", hf.torchDtype());
    }

    @Test
    void defaultsAndMistralAndQwenWindows() throws IOException {
        ModelConfig c = HfConfig.read(config("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 96, "num_hidden_layers": 1,
                 "num_attention_heads": 4, "vocab_size": 10, "max_position_embeddings": 32}""")).config();
        assertEquals(4, c.kvHeads());
        assertEquals(16, c.headDim());
        assertEquals(10000f, c.ropeTheta());
        assertNull(c.ropeScaling());
        assertFalse(c.attentionBias());
        assertFalse(c.tiedEmbeddings());
        ModelConfig mistral = HfConfig.read(config("""
                {"architectures": ["MistralForCausalLM"], "hidden_size": 64, "intermediate_size": 96,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 10,
                 "max_position_embeddings": 32, "sliding_window": 4096, "head_dim": null}""")).config();
        assertEquals("mistral", mistral.architecture());
        assertEquals(4096, mistral.slidingWindow());
        String qwen = """
                {"architectures": ["Qwen2ForCausalLM"], "hidden_size": 64, "intermediate_size": 96,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 10,
                 "max_position_embeddings": 32, "sliding_window": 4096, "use_sliding_window": %s}""";
        ModelConfig q = HfConfig.read(config(qwen.formatted("false"))).config();
        assertEquals(0, q.slidingWindow());
        assertTrue(q.attentionBias());
        assertEquals(4096, HfConfig.read(config(qwen.formatted("true"))).config().slidingWindow());
    }

    @Test
    void unsupportedArchitecturesAndSettingsAreNamed() throws IOException {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfConfig.read(config(
                "{\"architectures\": [\"GPT2LMHeadModel\"], \"model_type\": \"gpt2\"}")));
        assertTrue(e.getMessage().contains("architecture GPT2LMHeadModel is not supported; supported: LlamaForCausalLM,"
                + " MistralForCausalLM, Qwen2ForCausalLM"), e.getMessage());
        assertTrue(e.getMessage().contains("config.json"));
        ModelFormatException yarn = assertThrows(ModelFormatException.class, () -> HfConfig.read(config(
                LLAMA3.replace("\"llama3\"", "\"yarn\""))));
        assertTrue(yarn.getMessage().contains("yarn"), yarn.getMessage());
        ModelFormatException missing = assertThrows(ModelFormatException.class, () -> HfConfig.read(config(
                "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 64}")));
        assertTrue(missing.getMessage().contains("is missing num_attention_heads"), missing.getMessage());
        ModelFormatException gqa = assertThrows(ModelFormatException.class, () -> HfConfig.read(config(
                LLAMA3.replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5"))));
        assertTrue(gqa.getMessage().contains("config.json") && gqa.getMessage().contains("kv_heads must divide heads"),
                gqa.getMessage());
        ModelFormatException type = assertThrows(ModelFormatException.class, () -> HfConfig.read(config(
                LLAMA3.replace("\"hidden_size\": 2048", "\"hidden_size\": \"big\""))));
        assertTrue(type.getMessage().contains("hidden_size"), type.getMessage());
    }

    @Test
    void generationConfigOverridesConfigIdsAndCarriesDefaults() throws IOException {
        SyntheticModel m = SyntheticModel.random(TestConfigs.llama(true), 23);
        m.writeHf(dir, DType.F32, 1);
        Files.writeString(dir.resolve("generation_config.json"), """
                {"bos_token_id": 1, "eos_token_id": [2, 7], "do_sample": true, "temperature": 0.6,
                 "top_p": 0.9, "top_k": 40, "repetition_penalty": 1.1}""");
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}]}""");
        try (Model loaded = ModelLoader.loadWeights(dir)) {
            assertEquals(List.of(2, 7), loaded.eosTokenIds());
            assertEquals(Boolean.TRUE, loaded.generationDefaults().doSample());
            assertEquals(0.6f, loaded.generationDefaults().temperature());
            assertEquals(40, loaded.generationDefaults().topK());
            assertNull(loaded.generationDefaults().minP());
            assertEquals("D", loaded.chatTemplate());
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{{ messages }}\"}");
        try (Model loaded = ModelLoader.loadWeights(dir)) {
            assertEquals("{{ messages }}", loaded.chatTemplate());
        }
        Files.writeString(dir.resolve("chat_template.jinja"), "J");
        assertEquals("J", HfChatTemplate.find(dir));
    }

    @Test
    void tensorProblemsNameTheTensor() throws IOException {
        SyntheticModel m = SyntheticModel.random(TestConfigs.llama(false), 24);
        m.writeHf(dir, DType.F32, 1);
        Path weights = dir.resolve("model.safetensors");
        byte[] f32 = Quantization.encode(new float[64], DType.F32);

        new SafetensorsWriter().add("model.embed_tokens.weight", DType.F32, new long[] {1, 64}, f32).write(weights);
        ModelFormatException missing = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(dir));
        assertTrue(missing.getMessage().contains("token_embd.weight has shape [1, 64]"), missing.getMessage());

        new SafetensorsWriter().add("model.vision_tower.weight", DType.F32, new long[] {64}, f32).write(weights);
        ModelFormatException unknown = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(dir));
        assertTrue(unknown.getMessage().contains("model.vision_tower.weight"), unknown.getMessage());

        new SafetensorsWriter().add("model.norm.weight", DType.F32, new long[] {64}, f32).write(weights);
        ModelFormatException absent = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(dir));
        assertTrue(absent.getMessage().contains("missing tensor token_embd.weight"), absent.getMessage());
    }

    @Test
    void storedLmHeadOfATiedModelIsIgnored() {
        ModelConfig untied = TestConfigs.llama(false);
        SyntheticModel m = SyntheticModel.random(untied, 25);
        m.writeHf(dir, DType.F32, 1);
        try {
            String json = Files.readString(dir.resolve("config.json"));
            Files.writeString(dir.resolve("config.json"), json.replace("\"tie_word_embeddings\" : false",
                    "\"tie_word_embeddings\" : true"));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        try (Model loaded = ModelLoader.loadWeights(dir)) {
            assertTrue(loaded.config().tiedEmbeddings());
            assertFalse(loaded.tensors().containsKey(TensorNames.OUTPUT));
        }
    }
}
