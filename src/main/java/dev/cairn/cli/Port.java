package dev.cairn.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a port number, 0 to 65535. Stateless. */
final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the text.
        }
        throw new TypeConversionException("must be a port number (0 to 65535), got " + text);
    }
}
