package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineTest {
    private final ManualClock clock = new ManualClock(0);
    private final LocalDictionary dictionary = new LocalDictionary(clock,
            new DictionaryOptions(Duration.ofMillis(1), 50, WriteSink.NONE));
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void close() throws InterruptedException {
        dictionary.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private long balance(String account) {
        byte[] value = dictionary.strings().get(account);
        return value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    }

    // Any serial order of transfers preserves the total; increments add up exactly; a transfer
    // that fails mid-block (wrong type) leaves nothing behind; watched transfers either apply
    // whole or not at all.
    @Test
    void concurrentCommandsAndTransactionsAreExplainedBySomeSerialOrder() throws Exception {
        int accounts = 8;
        for (int i = 0; i < accounts; i++) {
            dictionary.strings().set("acct" + i, "1000");
        }
        dictionary.lists().rpush("not-a-number", "x");
        int perThread = 400;
        AtomicLong increments = new AtomicLong();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            long seed = System.nanoTime() + t;
            futures.add(threads.submit(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < perThread; i++) {
                    String from = "acct" + random.nextInt(accounts);
                    String to = "acct" + random.nextInt(accounts);
                    long amount = random.nextInt(50);
                    switch (random.nextInt(5)) {
                        case 0 -> dictionary.transaction(tx -> {
                            tx.strings().decrBy(from, amount);
                            tx.strings().incrBy(to, amount);
                            return null;
                        });
                        case 1 -> {
                            try {
                                dictionary.transaction(tx -> {
                                    tx.strings().decrBy(from, amount);
                                    tx.strings().incrBy("not-a-number", amount);
                                    return null;
                                });
                                throw new AssertionError("the transfer to a list must fail");
                            } catch (WrongTypeException expected) {
                                // rolled back
                            }
                        }
                        case 2 -> {
                            var watch = dictionary.watch(from, to);
                            long fromBalance = balance(from);
                            long toBalance = balance(to);
                            Optional<Object> applied = dictionary.transaction(watch, tx -> {
                                tx.strings().set(from, Long.toString(fromBalance - amount));
                                tx.strings().set(to, Long.toString(toBalance + amount + (from.equals(to) ? -amount : 0)));
                                return Boolean.TRUE;
                            });
                            assertThat(applied.isEmpty() || applied.get() == Boolean.TRUE).isTrue();
                        }
                        case 3 -> {
                            dictionary.strings().incr("counter");
                            increments.incrementAndGet();
                        }
                        default -> {
                            dictionary.strings().set("tmp" + random.nextInt(20), "v");
                            dictionary.keys().pexpire("tmp" + random.nextInt(20), 5, dev.cairn.dictionary.ExpireCondition.ALWAYS);
                            clock.advance(1);
                        }
                    }
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        long total = 0;
        for (int i = 0; i < accounts; i++) {
            total += balance("acct" + i);
        }
        assertThat(total).isEqualTo(accounts * 1000L);
        assertThat(balance("counter")).isEqualTo(increments.get());
        assertThat(dictionary.lists().llen("not-a-number")).isEqualTo(1);
    }

    // Model test: random single commands and transactions (some failing) against a plain map.
    @Test
    void randomTransactionsMatchAModelOfCommittedEffectsOnly() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, String> model = new java.util.TreeMap<>();
        int iterations = Integer.getInteger("cairn.fuzz.iterations", 200) * 5;
        for (int step = 0; step < iterations; step++) {
            boolean fail = random.nextInt(3) == 0;
            Map<String, String> staged = new java.util.TreeMap<>(model);
            int count = 1 + random.nextInt(5);
            try {
                dictionary.transaction(tx -> {
                    for (int i = 0; i < count; i++) {
                        String key = "m" + random.nextInt(6);
                        if (random.nextBoolean()) {
                            String value = Integer.toString(random.nextInt(100));
                            tx.strings().set(key, value);
                            staged.put(key, value);
                        } else {
                            tx.keys().del(key);
                            staged.remove(key);
                        }
                    }
                    if (fail) {
                        throw new IllegalStateException("abort");
                    }
                    return null;
                });
                model.clear();
                model.putAll(staged);
            } catch (IllegalStateException expected) {
                // model unchanged
            }
            Map<String, String> actual = new java.util.TreeMap<>();
            for (String key : dictionary.keys().keys("m*")) {
                actual.put(key, dictionary.strings().getString(key));
            }
            assertThat(actual).as("seed %d step %d", seed, step).isEqualTo(model);
        }
    }
}
