/**
 * Cairn: an embedded commit log ({@link dev.cairn.log}) and data-structure store
 * ({@link dev.cairn.dictionary}) on one storage layer, opened through {@link dev.cairn.Cairn}.
 *
 * <p>Only the public API packages are exported; the storage layer and every
 * {@code .internal} package are implementation.
 */
module dev.cairn {
    requires org.slf4j;

    exports dev.cairn.common;
}
