package dev.cairn.storage.fs;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases a file mapping at once. The JDK unmaps a {@link MappedByteBuffer} only when the
 * garbage collector finds it unreachable, which may be never on a quiet heap: until then a
 * truncated file keeps its mapped blocks and a deleted segment its disk space. Java 17 offers
 * no public way to unmap; {@code sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported},
 * present in every JDK build) does it, and is reached reflectively so that the library neither
 * compiles against an internal API nor fails where it is missing: then mappings are left to the
 * garbage collector, as the JDK itself does.
 *
 * <p>Thread-safe. Touching an unmapped buffer crashes the process, so callers unmap only
 * buffers no thread can reach any more.
 */
final class Unmapper {
    private static final Logger LOG = LoggerFactory.getLogger(Unmapper.class);
    private static final MethodHandle INVOKE_CLEANER = find();

    private Unmapper() {
    }

    private static MethodHandle find() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Object unsafe = field.get(null);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(unsafe);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("file mappings will be released by the garbage collector: {}", e.toString());
            return null;
        }
    }

    static void unmap(MappedByteBuffer mapping) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invokeExact((ByteBuffer) mapping);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            // Never expected for a direct, non-slice buffer; the mapping then goes with the GC.
            LOG.warn("could not release a file mapping at once: {}", e.toString());
        }
    }
}
