package org.pgeventstore.application.aggregate;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A forward-only reader of one JSON object's text, for a {@link JsonEventCodec.StreamingReader}:
 * it reads members, strings and numbers in place, without building a tree or a token stream.
 *
 * <p>It reads the JSON that events are written and handed back in: objects of named members in
 * any order, whitespace anywhere JSON allows it (the store's {@code jsonb} answers with a space
 * after each separator), strings with or without escapes, and numbers without an exponent of at
 * most 18 digits. Anything else, valid JSON or not, makes it throw {@link NotTaken}, so that the
 * codec reads that data through the type's tree reader instead, which reads it the same way or
 * names what is wrong. What it does read, it reads as Jackson does: the same characters for a
 * string, and for a number the {@link BigDecimal} {@code new BigDecimal} makes of its text (equal
 * in value to the tree's, which may drop trailing zeros).
 *
 * <p>Not thread-safe: one reader per text, on one thread.
 */
public final class JsonText {

    /** Thrown for text this reader does not take; it carries no stack trace, as the codec expects and catches it. */
    public static final class NotTaken extends RuntimeException {

        private static final NotTaken INSTANCE = new NotTaken();

        private NotTaken() {
            super("not in the shape read by streaming", null, false, false);
        }
    }

    /** Digits a number may have, so that its unscaled value fits a {@code long}. */
    private static final int MAX_DIGITS = 18;

    private final String text;
    private int at;

    public JsonText(String text) {
        this.text = Objects.requireNonNull(text, "text");
    }

    /** What a reader throws for data it does not take as exactly its shape. */
    public static NotTaken notTaken() {
        return NotTaken.INSTANCE;
    }

    /** {@code value}, unless {@code before} shows the member was read already: a repeated member is not taken. */
    public static <T> T once(T before, T value) {
        if (before != null) {
            throw NotTaken.INSTANCE;
        }
        return value;
    }

    /** Reads the {@code {} that opens an object. */
    public void beginObject() {
        expect('{');
    }

    /**
     * Reads the next member's name and its colon, and returns the name's index in {@code names};
     * a name that is not among them, or is written with escapes, is not taken.
     */
    public int member(String[] names) {
        expect('"');
        int start = at;
        int end = text.indexOf('"', start);
        if (end < 0) {
            throw NotTaken.INSTANCE;
        }
        int length = end - start;
        int found = -1;
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (name.length() == length && text.startsWith(name, start)) {
                found = i;
                break;
            }
        }
        if (found < 0) {
            throw NotTaken.INSTANCE;
        }
        at = end + 1;
        expect(':');
        return found;
    }

    /** After a member's value: true when a comma says another member follows, false at the object's closing brace. */
    public boolean nextMember() {
        skipWhitespace();
        if (at < text.length()) {
            char c = text.charAt(at++);
            if (c == ',') {
                return true;
            }
            if (c == '}') {
                return false;
            }
        }
        throw NotTaken.INSTANCE;
    }

    /** Checks that nothing but whitespace follows the value read last. */
    public void end() {
        skipWhitespace();
        if (at != text.length()) {
            throw NotTaken.INSTANCE;
        }
    }

    /** Reads a string value; {@code null} and every other kind of value are not taken. */
    public String string() {
        expect('"');
        int start = at;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                at = i + 1;
                return text.substring(start, i);
            }
            if (c == '\\') {
                return escaped(start, i);
            }
            if (c < 0x20) {
                throw NotTaken.INSTANCE;
            }
        }
        throw NotTaken.INSTANCE;
    }

    /** The rest of a string that has an escape at {@code escape}, its text before it starting at {@code start}. */
    private String escaped(int start, int escape) {
        StringBuilder value = new StringBuilder(escape - start + 16).append(text, start, escape);
        int i = escape;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (c == '"') {
                at = i;
                return value.toString();
            }
            if (c < 0x20 || (c == '\\' && i >= text.length())) {
                throw NotTaken.INSTANCE;
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char kind = text.charAt(i++);
            switch (kind) {
                case '"', '\\', '/' -> value.append(kind);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    if (i + 4 > text.length()) {
                        throw NotTaken.INSTANCE;
                    }
                    int code = 0;
                    for (int digit = 0; digit < 4; digit++) {
                        int hex = Character.digit(text.charAt(i++), 16);
                        if (hex < 0) {
                            throw NotTaken.INSTANCE;
                        }
                        code = code * 16 + hex;
                    }
                    value.append((char) code);
                }
                default -> throw NotTaken.INSTANCE;
            }
        }
        throw NotTaken.INSTANCE;
    }

    /**
     * Reads a number as a decimal: {@code 9.90} is 990 with scale 2, {@code 5} is 5 with scale 0,
     * as {@code new BigDecimal} reads their text. Numbers with an exponent or more than 18 digits
     * are not taken.
     */
    public BigDecimal decimal() {
        boolean negative = sign();
        int digits = 0;
        long unscaled = 0;
        int integerStart = at;
        while (at < text.length() && isDigit(text.charAt(at))) {
            unscaled = unscaled * 10 + (text.charAt(at++) - '0');
            digits++;
        }
        requireIntegerPart(integerStart);
        int scale = 0;
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            while (at < text.length() && isDigit(text.charAt(at))) {
                unscaled = unscaled * 10 + (text.charAt(at++) - '0');
                digits++;
                scale++;
            }
            if (scale == 0) {
                throw NotTaken.INSTANCE;
            }
        }
        if (digits > MAX_DIGITS || startsExponent()) {
            throw NotTaken.INSTANCE;
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
    }

    /** Reads a whole number that fits an {@code int}; a fraction, an exponent or a larger number is not taken. */
    public int integer() {
        boolean negative = sign();
        long value = 0;
        int start = at;
        while (at < text.length() && isDigit(text.charAt(at))) {
            value = value * 10 + (text.charAt(at++) - '0');
            if (at - start > 10) {
                throw NotTaken.INSTANCE;
            }
        }
        requireIntegerPart(start);
        if (negative) {
            value = -value;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE
                || (at < text.length() && text.charAt(at) == '.') || startsExponent()) {
            throw NotTaken.INSTANCE;
        }
        return (int) value;
    }

    /** Skips whitespace and reads a number's minus sign, if it has one. */
    private boolean sign() {
        skipWhitespace();
        boolean negative = at < text.length() && text.charAt(at) == '-';
        if (negative) {
            at++;
        }
        return negative;
    }

    /** JSON's integer part: at least one digit, and no leading zero before another digit. */
    private void requireIntegerPart(int start) {
        if (at == start || (text.charAt(start) == '0' && at - start > 1)) {
            throw NotTaken.INSTANCE;
        }
    }

    private boolean startsExponent() {
        return at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void expect(char wanted) {
        skipWhitespace();
        if (at >= text.length() || text.charAt(at) != wanted) {
            throw NotTaken.INSTANCE;
        }
        at++;
    }

    /** JSON's whitespace: space, tab, line feed and carriage return. */
    private void skipWhitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }
}
