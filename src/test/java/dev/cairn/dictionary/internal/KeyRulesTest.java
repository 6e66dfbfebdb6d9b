package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyRulesTest {

    @Test
    void acceptsAnyTextTheEmptyKeyAndTheNamesOfByteStrings() {
        assertThat(KeyRules.check("")).isEmpty();
        assertThat(KeyRules.check(" ~azAZ09!")).isEqualTo(" ~azAZ09!");
        assertThat(KeyRules.check("ab\ncd\u0000caf\u00e9\ud83d\ude00")).isEqualTo("ab\ncd\u0000caf\u00e9\ud83d\ude00");
        assertThat(KeyRules.check("\udcff\udc80")).isEqualTo("\udcff\udc80");
        assertThat(KeyRules.check("x".repeat(KeyRules.MAX_KEY_LENGTH))).hasSize(65_535);
    }

    @Test
    void namesTheIndexAndCodeOfAnUnpairedSurrogateThatNamesNoBytes() {
        assertThatThrownBy(() -> KeyRules.check("ab\ud800")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 2").hasMessageContaining("0xD800");
        assertThatThrownBy(() -> KeyRules.check("\udcc3\udca9")).hasMessageContaining("0xDCC3");
    }

    @Test
    void refusesNullTooLongAndEmptyKeyLists() {
        assertThatThrownBy(() -> KeyRules.check(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyRules.checkNotNull(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(KeyRules.checkNotNull("ab\ud800")).isEqualTo("ab\ud800");
        assertThatThrownBy(() -> KeyRules.check("x".repeat(65_536))).hasMessageContaining("65536");
        assertThatThrownBy(() -> KeyRules.checkAll(new String[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
