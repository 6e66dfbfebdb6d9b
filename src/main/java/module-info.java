/**
 * Cairn: an embedded commit log ({@code dev.cairn.log}) and data-structure store
 * ({@code dev.cairn.dictionary}) on one storage layer, opened through {@code dev.cairn.Cairn}.
 *
 * <p>Only the public API packages are exported; the storage layer and every
 * {@code .internal} package are implementation.
 */
module dev.cairn {
    requires org.slf4j;

    exports dev.cairn;
    exports dev.cairn.common;
    exports dev.cairn.dictionary;
    exports dev.cairn.log;
}
