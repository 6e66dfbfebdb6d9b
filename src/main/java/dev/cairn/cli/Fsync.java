package dev.cairn.cli;

import dev.cairn.common.Durability;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads Redis's appendfsync words as a {@link Durability}. Stateless. */
final class Fsync implements ITypeConverter<Durability> {
    @Override
    public Durability convert(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "always" -> Durability.ALWAYS;
            case "everysec" -> Durability.EVERY_SECOND;
            case "no" -> Durability.NONE;
            default -> throw new TypeConversionException("must be always, everysec or no, got " + text);
        };
    }
}
