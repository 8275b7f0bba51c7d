package org.pgeventstore.adapters.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micronaut.http.HttpStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.pgeventstore.application.eventstore.StorableText;

/**
 * The JSON reader and writer of the API. Request bodies are read as trees so that every
 * defect can be named precisely; responses are written with raw {@code data} and
 * {@code metadata} as stored.
 */
public final class ApiJson {

    /** Deeper documents are refused before they can exhaust the stack. */
    public static final int MAX_NESTING_DEPTH = 200;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // That setting leaves text fields alone: a number or a boolean would be stored as its text.
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .addModule(new JavaTimeModule())
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    }

    private ApiJson() {
    }

    /**
     * Parses a request body as UTF-8 JSON; a malformed one (invalid UTF-8 included) is a
     * 400 problem naming where it breaks, and text that cannot be stored is a 422 naming its field.
     */
    public static JsonNode read(byte[] body) {
        JsonNode tree = parse(body);
        requireStorableText(tree);
        return tree;
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, "malformed-json", "The body is not valid JSON",
                    "the request body is empty; send a JSON object");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, "malformed-json", "The body is not valid JSON",
                    e.getOriginalMessage() + locationOf(e));
        } catch (IOException e) {
            // The body is in memory: an I/O failure here is bytes that are no text in any JSON
            // encoding (e.g. a CharConversionException for what looks like UTF-32).
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, "malformed-json", "The body is not valid JSON",
                    "the body is not JSON text in UTF-8: " + e.getMessage());
        }
    }

    /*
     * Text no store can keep (StorableText) is refused here, for every route, before any store
     * sees it. The walk builds the field's path only for the text it refuses.
     */
    private static void requireStorableText(JsonNode tree) {
        Unstorable found = firstUnstorable(tree);
        if (found != null) {
            String path = found.path();
            throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam(path.isEmpty() ? "body" : path, found.reason())));
        }
    }

    /**
     * Text below a node that cannot be stored, and why. The way down to it is collected while the
     * walk returns, innermost first: member names (as shown) and element indexes.
     */
    private record Unstorable(List<Object> wayUp, String reason) {

        Unstorable(String reason) {
            this(new ArrayList<>(), reason);
        }

        Unstorable under(Object memberOrIndex) {
            wayUp.add(memberOrIndex);
            return this;
        }

        /** The field's path, e.g. {@code events[0].data.note[1]}. */
        String path() {
            StringBuilder path = new StringBuilder();
            for (int i = wayUp.size() - 1; i >= 0; i--) {
                if (wayUp.get(i) instanceof Integer index) {
                    path.append('[').append(index).append(']');
                } else {
                    path.append(path.isEmpty() ? "" : ".").append(wayUp.get(i));
                }
            }
            return path.toString();
        }
    }

    private static Unstorable firstUnstorable(JsonNode node) {
        if (node.isTextual()) {
            String reason = StorableText.unstorable(node.textValue());
            return reason == null ? null : new Unstorable(reason);
        }
        if (node.isObject()) {
            for (var members = node.properties().iterator(); members.hasNext(); ) {
                var member = members.next();
                String reason = StorableText.unstorable(member.getKey());
                if (reason != null) {
                    return new Unstorable("is a member name that " + reason).under(shown(member.getKey()));
                }
                Unstorable inner = firstUnstorable(member.getValue());
                if (inner != null) {
                    return inner.under(shown(member.getKey()));
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Unstorable inner = firstUnstorable(node.get(i));
                if (inner != null) {
                    return inner.under(i);
                }
            }
        }
        return null;
    }

    /** A member name as a field path shows it: unstorable characters as escapes, long names shortened. */
    private static String shown(String name) {
        StringBuilder shown = new StringBuilder();
        name.chars().forEach(c -> shown.append(c == 0 || Character.isSurrogate((char) c)
                ? "\\u%04X".formatted(c) : String.valueOf((char) c)));
        return ApiProblem.quoted(shown.toString());
    }

    /**
     * Parses a request body into {@code type}. Malformed JSON is a 400; JSON of the wrong
     * shape (a missing object, a string for a number, an unknown field) is a 422 naming the field.
     */
    public static <T> T read(byte[] body, Class<T> type) {
        JsonNode tree = read(body);
        if (!tree.isObject()) {
            throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam("body", "must be a JSON object")));
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            String field = pathOf(e.getPath());
            String reason = e instanceof UnrecognizedPropertyException ? "is not a known field"
                    : "has the wrong type or format (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")";
            throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam(field.isEmpty() ? "body" : field, reason)));
        } catch (JsonProcessingException e) {
            throw ApiProblem.of(HttpStatus.BAD_REQUEST, "malformed-json", "The body is not valid JSON", e.getOriginalMessage());
        }
    }

    private static String pathOf(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a response as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static ObjectNode objectNode() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
