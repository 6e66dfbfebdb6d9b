package dev.cairn.dictionary.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The random choices behind SRANDMEMBER, SPOP and ZRANDMEMBER, as positions in
 * {@code [0, size)}: a non-negative count asks for that many distinct positions (all of them
 * when it exceeds the size), a negative count for {@code -count} positions drawn
 * independently, so repeats are possible, as Redis defines these commands.
 *
 * <p>Stateless; thread-safe. Randomness comes from the caller, so tests can seed it.
 */
final class RandomSampling {
    /** The most positions one answer may hold: the largest array Java allocates safely. */
    static final long MAX_COUNT = Integer.MAX_VALUE - 8;

    private RandomSampling() {
    }

    /**
     * Chooses positions in {@code [0, size)}.
     *
     * @param count as the commands define it; see the class Javadoc
     * @throws IllegalArgumentException when {@code -count} exceeds {@link #MAX_COUNT}
     *         (Redis answers {@code ERR value is out of range} for the most negative counts)
     */
    static int[] choose(int size, long count, RandomGenerator random) {
        if (count < 0) {
            if (count < -MAX_COUNT) {
                throw new IllegalArgumentException("count " + count + " is out of range: at most "
                        + MAX_COUNT + " repeated picks");
            }
            if (size == 0) {
                return new int[0];
            }
            int[] picks = new int[(int) -count];
            for (int i = 0; i < picks.length; i++) {
                picks[i] = random.nextInt(size);
            }
            return picks;
        }
        if (count >= size) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int wanted = (int) count;
        return wanted * 2 > size ? partialShuffle(size, wanted, random) : floyd(size, wanted, random);
    }

    /** The first {@code wanted} slots of a Fisher-Yates shuffle of [0, size): for large shares. */
    private static int[] partialShuffle(int size, int wanted, RandomGenerator random) {
        int[] positions = new int[size];
        for (int i = 0; i < size; i++) {
            positions[i] = i;
        }
        for (int i = 0; i < wanted; i++) {
            int j = i + random.nextInt(size - i);
            int swap = positions[i];
            positions[i] = positions[j];
            positions[j] = swap;
        }
        int[] picks = new int[wanted];
        System.arraycopy(positions, 0, picks, 0, wanted);
        return picks;
    }

    /**
     * Robert Floyd's sampling algorithm (Bentley, "Programming Pearls", CACM 1987): a uniformly
     * random subset in O(wanted) time and space, for small shares of a large collection. The
     * subset is then shuffled, since the algorithm's own order is biased.
     */
    private static int[] floyd(int size, int wanted, RandomGenerator random) {
        Set<Integer> chosen = new HashSet<>(wanted * 2);
        int[] picks = new int[wanted];
        int n = 0;
        for (int j = size - wanted; j < size; j++) {
            int t = random.nextInt(j + 1);
            int pick = chosen.contains(t) ? j : t;
            chosen.add(pick);
            picks[n++] = pick;
        }
        for (int i = wanted - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = picks[i];
            picks[i] = picks[j];
            picks[j] = swap;
        }
        return picks;
    }
}
