package org.pgeventstore.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pgeventstore.application.aggregate.VersionCondition;

/**
 * The {@code If-Match} header (RFC 9110, section 13.1.1) as a condition on a version: of a stream
 * on the stream routes, of an aggregate on its command routes. The entity tag is the quoted
 * version, {@code "3"}, compared strongly: a weak tag ({@code W/"3"}) never matches, nor does a tag
 * that is not a version; a list matches any of its tags; {@code *} matches anything that exists. A
 * header that is not such a list is a 400. A condition that does not hold is a 412
 * {@code /stale-version}, the same for every route.
 */
public final class IfMatch {

    public static final String HEADER = "If-Match";

    private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([\\x21\\x23-\\x7E\\x80-\\xFF]*)\"\\s*(,|$)");
    private static final Pattern VERSION = Pattern.compile("\\d{1,18}");

    private IfMatch() {
    }

    /** The request's condition, if it sent one. */
    public static Optional<VersionCondition> of(HttpRequest<?> request) {
        return parse(request.getHeaders().get(HEADER));
    }

    static Optional<VersionCondition> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        if (header.trim().equals("*")) {
            return Optional.of(VersionCondition.EXISTS);
        }
        TreeSet<Long> versions = new TreeSet<>();
        Matcher matcher = TAG.matcher(header);
        int at = 0;
        boolean any = false;
        while (at < header.length() && matcher.find(at) && matcher.start() == at) {
            any = true;
            boolean weak = matcher.group(1) != null;
            String opaque = matcher.group(2);
            if (!weak && VERSION.matcher(opaque).matches()) {
                versions.add(Long.parseLong(opaque));
            }
            at = matcher.end();
            if (matcher.group(3).isEmpty()) {
                break;
            }
        }
        if (!any || at != header.length() || header.trim().endsWith(",")) {
            throw ApiProblem.badParameter(HEADER, "must be *, or entity tags such as \"3\" (the ETag of a response), "
                    + "separated by commas; was " + ApiProblem.quoted(header));
        }
        return Optional.of(new VersionCondition.OneOf(versions));
    }

    /**
     * The 412 for a condition that does not hold.
     *
     * @param subject what the version belongs to, e.g. {@code order 42} or {@code stream account-7}
     * @param kind the word for it in the title, e.g. {@code order} or {@code stream}
     */
    public static ApiProblem stale(String subject, String kind, VersionCondition condition, long actualVersion) {
        Map<String, Object> members = new LinkedHashMap<>();
        if (condition instanceof VersionCondition.OneOf one) {
            members.put("expectedVersions", List.copyOf(one.versions()));
            if (one.versions().size() == 1) {
                members.put("expectedVersion", one.versions().first());
            }
        }
        members.put("actualVersion", actualVersion);
        String detail = subject + (actualVersion == 0 ? " does not exist" : " is at version " + actualVersion)
                + ", the request expected " + condition
                + (actualVersion == 0 ? "; If-Match needs an existing " + kind
                        : "; read the " + kind + " and retry with its current ETag");
        return ApiProblem.withMembers(HttpStatus.PRECONDITION_FAILED, "stale-version",
                actualVersion == 0 ? "The " + kind + " does not exist" : "The " + kind + " has changed", detail, members);
    }
}
