package dev.cairn.storage.segment;

import dev.cairn.common.Durability;
import dev.cairn.storage.Storage;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of {@link SegmentedFileCrashTest}: appends numbered entries with
 * {@link Durability#ALWAYS} from several threads until it is killed, printing {@code ACK n} for
 * each entry once {@code awaitDurable} has returned for it.
 *
 * <p>Usage: {@code CrashingAppender <data dir> <threads>}.
 */
public final class CrashingAppender {
    static final SegmentedFileOptions OPTIONS = SegmentedFileOptions.defaults(".seg")
            .withSegmentBytes(32 * 1024).withDurability(Durability.ALWAYS);

    private CrashingAppender() {
    }

    /** The payload of entry {@code number}: the number, then bytes derived from it. */
    static byte[] payload(long number) {
        Random random = new Random(number);
        byte[] bytes = new byte[8 + random.nextInt(300)];
        random.nextBytes(bytes);
        ByteBuffer.wrap(bytes).putLong(0, number);
        return bytes;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        Storage storage = Storage.open(root);
        SegmentedFile file = SegmentedFile.open(storage, root.resolve("entries"), OPTIONS, 0);
        long[] next = {countEntries(file)};
        out.println("READY " + next[0]);
        out.flush();
        Object writeLock = new Object();
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            writers[t] = new Thread(() -> {
                while (true) {
                    long number;
                    long mark;
                    synchronized (writeLock) {
                        number = next[0]++;
                        byte[] payload = payload(number);
                        if (file.shouldRoll(payload.length)) {
                            file.roll(number);
                        }
                        file.append(ByteBuffer.wrap(payload));
                        mark = file.writtenMark();
                    }
                    file.awaitDurable(mark);
                    synchronized (out) {
                        out.println("ACK " + number);
                        out.flush();
                    }
                }
            });
            writers[t].start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    static long countEntries(SegmentedFile file) {
        long count = 0;
        for (Segment segment : file.segments()) {
            SegmentScanner scanner = segment.scanner(SegmentFormat.HEADER_SIZE);
            while (scanner.nextOrThrow()) {
                count++;
            }
        }
        return count;
    }
}
