package dev.cairn.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the tool shows stored bytes: as text when they are well-formed UTF-8 without control
 * characters (tab, newline and carriage return allowed), otherwise as base64, marked as such.
 * Stateless.
 */
final class Bytes {
    private Bytes() {
    }

    /** The text of {@code bytes}, or null when they are not printable UTF-8. */
    static String text(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                    return null;
                }
            }
            return s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** For text output: the text, or {@code base64:...}; {@code null} for no bytes at all. */
    static String show(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        String text = text(bytes);
        return text != null ? text : "base64:" + Base64.getEncoder().encodeToString(bytes);
    }

    /** For JSON output: the text as a string, or {@code {"base64": "..."}}; JSON null for none. */
    static Object json(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        String text = text(bytes);
        if (text != null) {
            return text;
        }
        Map<String, Object> encoded = new LinkedHashMap<>();
        encoded.put("base64", Base64.getEncoder().encodeToString(bytes));
        return encoded;
    }
}
