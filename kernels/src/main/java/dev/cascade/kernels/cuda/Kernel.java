package dev.cascade.kernels.cuda;

/**
 * Every kernel of {@code src/main/cuda/cascade_kernels.cu} the backend launches, by its extern "C"
 * name. The module is checked for all of them when it loads, and a build-time test checks that the
 * fatbin holds each one for every architecture.
 */
public enum Kernel {
    CONVERT_F32_TO_BF16("convert_f32_to_bf16"),
    CONVERT_F32_TO_F16("convert_f32_to_f16"),
    CONVERT_F16_TO_F32("convert_f16_to_f32"),
    CONVERT_BF16_TO_F32("convert_bf16_to_f32"),
    DEQUANTIZE_Q8_0_TO_BF16("dequantize_q8_0_to_bf16"),
    DEQUANTIZE_Q8_0_TO_F32("dequantize_q8_0_to_f32"),
    DEQUANTIZE_Q4_0_TO_BF16("dequantize_q4_0_to_bf16"),
    DEQUANTIZE_Q4_0_TO_F32("dequantize_q4_0_to_f32"),
    ROWS_F32_TO_BF16("rows_f32_to_bf16"),
    ROWS_F32_TO_F16("rows_f32_to_f16"),
    EMBED_F32("embed_f32"),
    EMBED_F16("embed_f16"),
    EMBED_BF16("embed_bf16"),
    RMS_NORM("rms_norm"),
    ADD_RMS_NORM("add_rms_norm"),
    ADD_IN_PLACE("add_in_place"),
    ADD_BIAS("add_bias"),
    SILU_MUL("silu_mul"),
    GATHER_ROWS("gather_rows"),
    ROPE("rope"),
    WRITE_KV("write_kv"),
    PAGED_ATTENTION_D32("paged_attention_d32"),
    PAGED_ATTENTION_D64("paged_attention_d64"),
    PAGED_ATTENTION_D128("paged_attention_d128"),
    PAGED_ATTENTION_D256("paged_attention_d256"),
    ATTENTION_COMBINE("attention_combine"),
    PREFILL_ATTENTION_D32("prefill_attention_d32"),
    PREFILL_ATTENTION_D64("prefill_attention_d64"),
    PREFILL_ATTENTION_D128("prefill_attention_d128"),
    SAMPLE_ROWS("sample_rows");

    private final String symbol;

    Kernel(String symbol) {
        this.symbol = symbol;
    }

    /** The name the kernel is compiled under. */
    public String symbol() {
        return symbol;
    }
}
