package org.pgeventstore.application.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The text reader of streaming readers, held to what Jackson's tree reads from the same text. */
class JsonTextTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String[] VALUE = {"v"};

    private static JsonText member(String valueText) {
        JsonText json = new JsonText("{\"v\": " + valueText + "}");
        json.beginObject();
        assertThat(json.member(VALUE)).isZero();
        return json;
    }

    private static JsonNode treeValue(String valueText) throws Exception {
        return MAPPER.readTree("{\"v\": " + valueText + "}").get("v");
    }

    @Test
    @DisplayName("strings read as Jackson reads them: escapes of every kind, other scripts, surrogate pairs")
    void stringsAsJacksonReadsThem() throws Exception {
        Random random = new Random(11);
        String alphabet = "ab \"\\/\b\f\n\r\t\u0001\u001f\u00e9\u9752\ud83d\ude00";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int c = random.nextInt(12); c > 0; c--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String written = MAPPER.writeValueAsString(value.toString());
            assertThat(member(written).string()).as(written).isEqualTo(value.toString());
        }
        for (String written : List.of("\"\\u00E9\\u00e9\"", "\"a\\/b\"", "\"\\ud83d\\ude00\"", "\"\"")) {
            assertThat(member(written).string()).as(written).isEqualTo(treeValue(written).textValue());
        }
    }

    @Test
    @DisplayName("numbers read as the decimals their text is, scale included, and equal in value to Jackson's tree")
    void decimalsAsTheirText() throws Exception {
        for (String number : List.of("0", "-0", "5", "9.90", "0.00", "-12.5", "123456789012345678", "0.00000000000000001",
                "19.99", "-0.0", "370.00")) {
            BigDecimal read = member(number).decimal();
            assertThat(read).as(number).isEqualTo(new BigDecimal(number));
            assertThat(read).as(number).isEqualByComparingTo(treeValue(number).decimalValue());
        }
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            String number = new BigDecimal(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L))
                    .movePointLeft(random.nextInt(6)).toPlainString();
            assertThat(member(number).decimal()).as(number).isEqualTo(new BigDecimal(number));
        }
    }

    @Test
    @DisplayName("whole numbers that fit an int read as Jackson reads them")
    void integers() throws Exception {
        for (String number : List.of("0", "1", "-7", "2147483647", "-2147483648")) {
            assertThat(member(number).integer()).as(number).isEqualTo(treeValue(number).intValue());
        }
    }

    @Test
    @DisplayName("what it does not read exactly is not taken, valid JSON or not, so that the tree reads it")
    void notTaken() {
        List<String> decimals = List.of("1e3", "1E-2", "01", "-", ".5", "5.", "1234567890123456789", "null", "true", "[1]");
        for (String value : decimals) {
            assertThatThrownBy(() -> member(value).decimal()).as(value).isInstanceOf(JsonText.NotTaken.class);
        }
        List<String> integers = List.of("2147483648", "-2147483649", "1.5", "1.0", "1e2", "01", "-", "12345678901");
        for (String value : integers) {
            assertThatThrownBy(() -> member(value).integer()).as(value).isInstanceOf(JsonText.NotTaken.class);
        }
        List<String> strings = List.of("\"a\\x\"", "\"a\u0001b\"", "\"\\u12\"", "\"open", "\"ends in \\", "null", "{}");
        for (String value : strings) {
            assertThatThrownBy(() -> member(value).string()).as(value).isInstanceOf(JsonText.NotTaken.class);
        }
        assertThatThrownBy(() -> member("1").string()).isInstanceOf(JsonText.NotTaken.class);
        assertThatThrownBy(() -> member("\"1\"").decimal()).isInstanceOf(JsonText.NotTaken.class);
    }

    @Test
    @DisplayName("members: only the names asked for, unescaped; a comma or the closing brace after each value; nothing after the object")
    void members() {
        JsonText json = new JsonText(" {\"a\":1 ,\n\"bb\" :\t2}  ");
        json.beginObject();
        assertThat(json.member(new String[] {"bb", "a"})).isEqualTo(1);
        assertThat(json.integer()).isEqualTo(1);
        assertThat(json.nextMember()).isTrue();
        assertThat(json.member(new String[] {"bb", "a"})).isZero();
        assertThat(json.integer()).isEqualTo(2);
        assertThat(json.nextMember()).isFalse();
        json.end();

        assertThatThrownBy(() -> member("1").member(new String[] {"x"})).isInstanceOf(JsonText.NotTaken.class);
        JsonText escapedName = new JsonText("{\"\\u0061\":1}");
        escapedName.beginObject();
        assertThatThrownBy(() -> escapedName.member(new String[] {"a"})).isInstanceOf(JsonText.NotTaken.class);
        JsonText trailing = new JsonText("{\"a\":1}}");
        trailing.beginObject();
        trailing.member(new String[] {"a"});
        trailing.integer();
        trailing.nextMember();
        assertThatThrownBy(trailing::end).isInstanceOf(JsonText.NotTaken.class);
    }
}
