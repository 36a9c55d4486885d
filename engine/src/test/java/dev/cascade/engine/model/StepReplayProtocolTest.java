package dev.cascade.engine.model;

import dev.cascade.kernels.Backend;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.Model;
import dev.cascade.weights.random.RandomModels;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the transformer drives a backend that records and replays steps (the CUDA backend's graphs),
 * checked on the CPU with a backend that pretends to: a step it "replays" gets nothing but the read
 * of its logits (which this fake then computes by running the recorded operations), and a step
 * whose recording fails is begun again and issued eagerly, with the same logits as without any
 * of this.
 */
class StepReplayProtocolTest {

    /** Records the operations of the second step; replays them for later steps; fails one recording if asked. */
    static final class RecordingBackend implements InvocationHandler {
        final Backend cpu;
        final boolean failFirstRecording;
        final List<Object[]> recorded = new ArrayList<>();
        final List<java.lang.reflect.Method> recordedMethods = new ArrayList<>();
        int steps;
        int replays;
        int abandoned;
        boolean recording;
        boolean replaying;
        boolean recordedOnce;

        RecordingBackend(Backend cpu, boolean failFirstRecording) {
            this.cpu = cpu;
            this.failFirstRecording = failFirstRecording;
        }

        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method m, Object[] args) throws Throwable {
            switch (m.getName()) {
                case "beginStepOrReplay" -> {
                    steps++;
                    cpu.beginStep((dev.cascade.kernels.StepPlan) args[0]);
                    if (recordedOnce) {
                        replaying = true;
                        replays++;
                        return true;
                    }
                    recording = steps >= 2;
                    if (recording) {
                        recorded.clear();
                        recordedMethods.clear();
                    }
                    return false;
                }
                case "abandonRecording" -> {
                    if (!recording) {
                        return false;
                    }
                    recording = false;
                    abandoned++;
                    return true;
                }
                case "read" -> {
                    if (replaying) {
                        replaying = false;
                        for (int i = 0; i < recorded.size(); i++) {
                            call(recordedMethods.get(i), recorded.get(i));
                        }
                    } else if (recording) {
                        if (failFirstRecording && abandoned == 0) {
                            throw new IllegalStateException("the capture was invalidated");
                        }
                        recording = false;
                        recordedOnce = true;
                    }
                    return call(m, args);
                }
                default -> {
                    if (replaying && !m.getName().equals("currentRows")) {
                        throw new AssertionError(m.getName() + " issued during a replayed step");
                    }
                    if (recording && m.getDeclaringClass() == Backend.class && args != null) {
                        recordedMethods.add(m);
                        recorded.add(args.clone());
                    }
                    return call(m, args);
                }
            }
        }

        private Object call(java.lang.reflect.Method m, Object[] args) throws Throwable {
            try {
                return m.invoke(cpu, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        Backend proxy() {
            return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, this);
        }
    }

    private static float[][] run(Model m, Backend backend, int[] tokens) {
        KvLayout layout = new KvLayout(m.config().layers(), 8, 16, m.config().kvHeads(), m.config().headDim());
        try (Transformer t = new Transformer(m, backend, layout, 16)) {
            return ForcedDecoding.run(t, layout, tokens, 10);
        }
    }

    @Test
    void replayedAndRetriedStepsGiveTheLogitsOfEagerOnes() {
        try (Model m = RandomModels.create("random:tiny:F32", null)) {
            int[] tokens = new Random(2).ints(24, 0, m.config().vocabSize()).toArray();
            float[][] eager = run(m, Backends.create("cpu", 1).backend(), tokens);

            RecordingBackend replaying = new RecordingBackend(Backends.create("cpu", 1).backend(), false);
            float[][] replayed = run(m, replaying.proxy(), tokens);
            assertEquals(replaying.steps - 2, replaying.replays, "every step after the recorded one is replayed");
            assertTrue(replaying.replays > 10);

            RecordingBackend failing = new RecordingBackend(Backends.create("cpu", 1).backend(), true);
            float[][] retried = run(m, failing.proxy(), tokens);
            assertEquals(1, failing.abandoned, "the failed recording is abandoned once");
            for (int i = 0; i < eager.length; i++) {
                assertArrayEquals(eager[i], replayed[i], "replayed step " + i);
                assertArrayEquals(eager[i], retried[i], "step " + i + " with a failed recording");
            }
        }
    }
}
