package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyRulesTest {

    @Test
    void acceptsPrintableAsciiIncludingSpaceAndTheEmptyKey() {
        assertThat(KeyRules.check("")).isEmpty();
        assertThat(KeyRules.check(" ~azAZ09!")).isEqualTo(" ~azAZ09!");
        assertThat(KeyRules.check("x".repeat(KeyRules.MAX_KEY_LENGTH))).hasSize(65_535);
    }

    @Test
    void namesTheIndexAndCodeOfTheFirstBadCharacter() {
        assertThatThrownBy(() -> KeyRules.check("ab\ncd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 2").hasMessageContaining("0x000A");
        assertThatThrownBy(() -> KeyRules.check("caf\u00e9")).hasMessageContaining("index 3").hasMessageContaining("0x00E9");
        assertThatThrownBy(() -> KeyRules.check("\u007f")).hasMessageContaining("0x007F");
    }

    @Test
    void refusesNullTooLongAndEmptyKeyLists() {
        assertThatThrownBy(() -> KeyRules.check(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyRules.checkNotNull(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(KeyRules.checkNotNull("ab\ncd")).isEqualTo("ab\ncd");
        assertThatThrownBy(() -> KeyRules.check("x".repeat(65_536))).hasMessageContaining("65536");
        assertThatThrownBy(() -> KeyRules.checkAll(new String[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
