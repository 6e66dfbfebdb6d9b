package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.NotAnIntegerException;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HashCommandsImplTest {
    private final LocalDictionary dictionary =
            new LocalDictionary(new ManualClock(0), DictionaryOptions.DEFAULT.withoutSweeper());

    @AfterEach
    void close() {
        dictionary.close();
    }

    @Test
    void floatIncrementsOfValuesWithHugeExponentsAreRefusedPromptlyAndChangeNothing() {
        // These held the command lock for seconds to minutes; the timeout only guards against a hang.
        dictionary.hashes().hset("h", "big", "1e20000000");
        dictionary.hashes().hset("h", "tiny", "1e-20000000");
        dictionary.hashes().hset("h", "underflow", "1e-5000");
        dictionary.strings().set("s", "1e-20000000");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String field : new String[] {"big", "tiny", "underflow"}) {
                assertThatThrownBy(() -> dictionary.hashes().hincrByFloat("h", field, 1)).as(field)
                        .isInstanceOf(NotAFloatException.class);
            }
            assertThatThrownBy(() -> dictionary.strings().incrByFloat("s", 1)).isInstanceOf(NotAFloatException.class);
        });
        assertThat(dictionary.hashes().hget("h", "tiny")).isEqualTo("1e-20000000".getBytes(StandardCharsets.UTF_8));
        assertThat(dictionary.strings().get("s")).isEqualTo("1e-20000000".getBytes(StandardCharsets.UTF_8));
        dictionary.hashes().hset("h", "subnormal", "1e-4940");
        assertThat(dictionary.hashes().hincrByFloat("h", "subnormal", 1)).isEqualTo(1.0);
    }

    @Test
    void hscanMatchesFieldsByTheirBytesAsRedis() {
        // Redis: HSET k π 10; HSCAN k 0 MATCH ? finds nothing (π is two bytes), MATCH ?? finds it.
        dictionary.hashes().hset("k", "π", "10");
        dictionary.hashes().hset("k", "a", "1");
        assertThat(dictionary.hashes().hscan("k", 0, ScanArgs.DEFAULT.match("?")).items())
                .extracting(Map.Entry::getKey).containsExactly("a");
        assertThat(dictionary.hashes().hscan("k", 0, ScanArgs.DEFAULT.match("??")).items())
                .extracting(Map.Entry::getKey).containsExactly("π");
        assertThat(dictionary.hashes().hscan("k", 0, ScanArgs.DEFAULT.match("[π]?")).items())
                .extracting(Map.Entry::getKey).containsExactly("π");
    }

    @Test
    void emptiedHashDisappears() {
        dictionary.hashes().hset("h", "a", "1");
        assertThat(dictionary.hashes().hdel("h", "a", "a", "b")).isEqualTo(1);
        assertThat(dictionary.keys().exists("h")).isZero();
    }

    @Test
    void wrongTypeAndBadNumbersChangeNothing() {
        dictionary.strings().set("s", "v");
        assertThatThrownBy(() -> dictionary.hashes().hset("s", "f", "v")).isInstanceOf(WrongTypeException.class);
        dictionary.hashes().hset("h", "f", "x");
        assertThatThrownBy(() -> dictionary.hashes().hincrBy("h", "f", 1)).isInstanceOf(NotAnIntegerException.class);
        assertThatThrownBy(() -> dictionary.hashes().hincrByFloat("h", "f", 1)).isInstanceOf(NotAFloatException.class);
        assertThat(dictionary.hashes().hgetString("h", "f")).isEqualTo("x");
        assertThat(dictionary.strings().getString("s")).isEqualTo("v");
    }

    @Test
    void randomFieldsFollowTheCountRules() {
        for (int i = 0; i < 10; i++) {
            dictionary.hashes().hset("h", "f" + i, "v");
        }
        assertThat(new HashSet<>(dictionary.hashes().hrandField("h", 4))).hasSize(4);
        assertThat(dictionary.hashes().hrandField("h", 50)).hasSize(10);
        List<String> repeated = dictionary.hashes().hrandField("h", -30);
        assertThat(repeated).hasSize(30).allMatch(f -> f.startsWith("f"));
        assertThat(dictionary.hashes().hrandField("h", 0)).isEmpty();
        assertThat(dictionary.hashes().hrandField("missing", 3)).isEmpty();
        assertThat(dictionary.hashes().hrandField("missing")).isNull();
        assertThat(dictionary.hashes().hrandFieldWithValues("h", 2)).allMatch(e -> e.getValue().length == 1);
    }

    @Test
    void scanReturnsEveryFieldWhileTheHashGrows() {
        for (int i = 0; i < 200; i++) {
            dictionary.hashes().hset("h", "f" + i, "v");
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int added = 0;
        do {
            ScanPage<Map.Entry<String, byte[]>> page = dictionary.hashes().hscan("h", cursor, ScanArgs.DEFAULT.count(7));
            page.items().forEach(e -> seen.add(e.getKey()));
            cursor = page.cursor();
            for (int i = 0; i < 30; i++) {
                dictionary.hashes().hset("h", "g" + added++, "v");
            }
        } while (cursor != 0);
        for (int i = 0; i < 200; i++) {
            assertThat(seen).contains("f" + i);
        }
    }
}
