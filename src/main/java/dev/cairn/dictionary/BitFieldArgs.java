package dev.cairn.dictionary;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The subcommands of one BITFIELD call, in order: GET, SET and INCRBY on fields, each taking the
 * overflow policy of the last {@link #overflow} before it ({@link Overflow#WRAP} until one is
 * given). Immutable; build by chaining from {@link #EMPTY}, each call returning a new instance.
 *
 * <p>Offsets are bit offsets from the start of the string, 0 to
 * {@link BitmapCommands#MAX_OFFSET}; for Redis's {@code #index} form use
 * {@link BitFieldType#offsetOf}. An offset out of range is refused here, as Redis refuses the whole
 * command before it runs any subcommand.
 */
public final class BitFieldArgs {
    /** No subcommands: BITFIELD then only checks the key's type and answers an empty list. */
    public static final BitFieldArgs EMPTY = new BitFieldArgs(List.of(), Overflow.WRAP);

    /** What SET and INCRBY do when the result does not fit the field. */
    public enum Overflow {
        /** Keep the low bits of the result (two's complement wrap-around). */
        WRAP,
        /** Saturate at the field's minimum or maximum. */
        SAT,
        /** Change nothing and answer null for that subcommand. */
        FAIL
    }

    /** The kind of one subcommand. */
    public enum Kind {
        /** Read the field. */
        GET,
        /** Write the field; answers its previous value. */
        SET,
        /** Add to the field; answers the new value. */
        INCRBY
    }

    /**
     * One subcommand.
     *
     * @param kind     GET, SET or INCRBY
     * @param type     the field's type
     * @param offset   the field's first bit
     * @param value    the value of SET or the increment of INCRBY (0 for GET)
     * @param overflow the overflow policy in force
     */
    public record Op(Kind kind, BitFieldType type, long offset, long value, Overflow overflow) {
        public Op {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(overflow, "overflow");
            if (offset < 0 || offset > BitmapCommands.MAX_OFFSET) {
                throw new IllegalArgumentException("bit offset is not an integer or out of range: " + offset
                        + " (0 to " + BitmapCommands.MAX_OFFSET + ")");
            }
        }
    }

    private final List<Op> ops;
    private final Overflow overflow;

    private BitFieldArgs(List<Op> ops, Overflow overflow) {
        this.ops = ops;
        this.overflow = overflow;
    }

    /** The subcommands, in order. */
    public List<Op> ops() {
        return ops;
    }

    /** Whether any subcommand writes (BITFIELD_RO refuses those). */
    public boolean writes() {
        return ops.stream().anyMatch(op -> op.kind() != Kind.GET);
    }

    private BitFieldArgs plus(Kind kind, BitFieldType type, long offset, long value) {
        List<Op> more = new ArrayList<>(ops.size() + 1);
        more.addAll(ops);
        more.add(new Op(kind, type, offset, value, overflow));
        return new BitFieldArgs(List.copyOf(more), overflow);
    }

    /** This followed by {@code GET type offset}. */
    public BitFieldArgs get(BitFieldType type, long offset) {
        return plus(Kind.GET, type, offset, 0);
    }

    /** This followed by {@code SET type offset value}. */
    public BitFieldArgs set(BitFieldType type, long offset, long value) {
        return plus(Kind.SET, type, offset, value);
    }

    /** This followed by {@code INCRBY type offset increment}. */
    public BitFieldArgs incrBy(BitFieldType type, long offset, long increment) {
        return plus(Kind.INCRBY, type, offset, increment);
    }

    /** This followed by {@code OVERFLOW policy}: the policy of the SETs and INCRBYs after it. */
    public BitFieldArgs overflow(Overflow policy) {
        return new BitFieldArgs(ops, Objects.requireNonNull(policy, "policy"));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BitFieldArgs that && ops.equals(that.ops) && overflow == that.overflow;
    }

    @Override
    public int hashCode() {
        return ops.hashCode() * 31 + overflow.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("BitFieldArgs[");
        Overflow shown = Overflow.WRAP;
        for (Op op : ops) {
            if (op.overflow() != shown) {
                text.append(" OVERFLOW ").append(op.overflow());
                shown = op.overflow();
            }
            text.append(' ').append(op.kind()).append(' ').append(op.type()).append(' ').append(op.offset());
            if (op.kind() != Kind.GET) {
                text.append(' ').append(op.value());
            }
        }
        return text.append(" ]").toString();
    }
}
