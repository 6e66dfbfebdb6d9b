package dev.cairn.dictionary.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandTableTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code name} with every other letter upper case. */
    private static String mixedCase(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    @Test
    void everyCommandIsFoundByItsNameInAnyCaseFromBytesAsFromAString() {
        CommandTable table = CommandTable.dictionary();
        assertThat(table.all()).hasSizeGreaterThan(100);
        for (CommandSpec spec : table.all()) {
            String name = spec.name();
            for (String spelling : new String[] {name, name.toUpperCase(java.util.Locale.ROOT), mixedCase(name)}) {
                assertThat(table.find(ascii(spelling))).as(spelling).isSameAs(spec);
                assertThat(table.find(spelling)).as(spelling).isSameAs(spec);
            }
        }
    }

    @Test
    void namesThatAreNotCommandsAreNotFound() {
        CommandTable table = CommandTable.dictionary();
        for (String name : new String[] {"", "g", "gets", "ge", "getx", "set ", " set", "s\u00e9t"}) {
            assertThat(table.find(name.getBytes(StandardCharsets.UTF_8))).as("'%s'", name).isNull();
        }
        assertThat(table.find(new byte[] {(byte) 0xC7, 'E', 'T'})).isNull();
        assertThat(table.find(new byte[] {'G', 'E', 'T', 0})).isNull();
    }
}
