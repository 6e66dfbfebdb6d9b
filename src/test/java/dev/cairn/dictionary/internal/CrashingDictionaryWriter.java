package dev.cairn.dictionary.internal;

import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.ExpireCondition;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Random;

/**
 * The child process of {@link DictionaryCrashTest}: applies numbered operations with
 * {@link Durability#ALWAYS} until it is killed, printing {@code ACK n} once operation n returned,
 * while another thread takes snapshots back to back. Each operation is a transaction that also
 * increments {@code __ops}, so the number of operations applied is part of the state; an
 * operation meant to fail is followed by a transaction that only increments {@code __ops}. Some
 * operations write values larger than the append-only file's frames, so kills also land inside
 * runs of fragments.
 *
 * <p>Usage: {@code CrashingDictionaryWriter <data dir>}.
 */
public final class CrashingDictionaryWriter {
    static final String OPS = "__ops";
    /** Frames of 1 KiB: the large values below are logged as runs of fragments, which a kill may cut. */
    static final SegmentedFileOptions FILES = SegmentedFileOptions.defaults(".aof").withSegmentBytes(16 * 1024)
            .withMaxEntryBytes(1024).withDurability(Durability.ALWAYS);

    private CrashingDictionaryWriter() {
    }

    static LocalDictionary open(Storage storage, Path root) {
        return LocalDictionary.open(storage, root.resolve("dictionary"), InstantSource.system(),
                DictionaryOptions.DEFAULT.withoutSweeper(), FILES, SnapshotRules.ON_DEMAND);
    }

    /** Applies operation {@code n}: the same on the child and on the parent's model. */
    static void apply(Dictionary d, long n) {
        Random random = new Random(n * 7919);
        String k = Integer.toString(random.nextInt(12));
        boolean fail = random.nextInt(10) == 0;
        try {
            d.transaction(tx -> {
                switch (random.nextInt(10)) {
                    case 0 -> tx.strings().set("s" + k, bytes("v" + n));
                    case 1 -> tx.strings().incrBy("c" + k, random.nextInt(10) - 3);
                    case 2 -> tx.hashes().hset("h" + k, "f" + random.nextInt(4), bytes("x" + n));
                    case 3 -> tx.lists().rpush("l" + k, bytes("e" + n), bytes("e" + (n + 1)));
                    case 4 -> tx.lists().lpop("l" + k);
                    case 5 -> tx.sets().sadd("set" + k, bytes("m" + random.nextInt(8)));
                    case 6 -> tx.sortedSets().zadd("z" + k, random.nextInt(100) / 4.0, bytes("m" + random.nextInt(8)));
                    case 7 -> tx.keys().del("s" + k, "c" + k);
                    case 8 -> tx.keys().pexpireAt("h" + k, 4_000_000_000_000L + n, ExpireCondition.ALWAYS);
                    default -> tx.strings().set("big" + k, bytes(("large-" + n + "-").repeat(300)));
                }
                tx.strings().incrBy(OPS, 1);
                if (fail) {
                    tx.lists().rpush(OPS, bytes("wrong type: rolls the whole operation back"));
                }
                return null;
            });
        } catch (dev.cairn.dictionary.WrongTypeException expected) {
            d.strings().incrBy(OPS, 1);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        Storage storage = Storage.open(root);
        LocalDictionary d = open(storage, root);
        byte[] done = d.strings().get(OPS);
        long next = done == null ? 0 : Long.parseLong(new String(done, StandardCharsets.US_ASCII));
        out.println("READY " + next);
        out.flush();
        Thread snapshots = new Thread(() -> {
            while (true) {
                try {
                    d.snapshot();
                } catch (StorageException | IllegalStateException e) {
                    return;
                }
            }
        });
        snapshots.setDaemon(true);
        snapshots.start();
        for (long n = next; ; n++) {
            apply(d, n);
            out.println("ACK " + n);
            out.flush();
        }
    }
}
