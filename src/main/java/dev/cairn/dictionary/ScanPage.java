package dev.cairn.dictionary;

import java.util.List;

/**
 * One step of a cursor scan: the cursor to pass to the next call (0 when the scan is complete)
 * and the items found in this step. As in Redis, an item present for the whole scan is returned
 * at least once; an item may be returned more than once.
 *
 * @param cursor the next cursor, 0 when done
 * @param items  the items of this step
 * @param <T>    the item type
 */
public record ScanPage<T>(long cursor, List<T> items) {
    public ScanPage {
        items = List.copyOf(items);
    }
}
