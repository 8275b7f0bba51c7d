package org.pgeventstore.adapters.http.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.security.authentication.Authentication;
import java.util.Arrays;
import org.pgeventstore.application.access.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code MICRONAUT_SECURITY_ENABLED=false}, like KurrentDB's insecure mode: no token is
 * asked for, and every request is a caller named {@code anonymous} with every role and every
 * category. Only for a service that nothing untrusted can reach (behind a gateway that
 * authenticates, or to measure what authentication costs); the start-up log says so.
 */
@ServerFilter("/api/**")
@Requires(property = "micronaut.security.enabled", value = StringUtils.FALSE)
public class InsecureMode {

    private static final Logger LOG = LoggerFactory.getLogger(InsecureMode.class);
    private static final Authentication ANONYMOUS = Authentication.build("anonymous",
            Arrays.stream(Role.values()).map(Role::inWords).toList());

    public InsecureMode() {
        LOG.warn("event=security_disabled effect=\"every request may do everything, as caller anonymous\" "
                + "action=\"remove MICRONAUT_SECURITY_ENABLED=false unless nothing untrusted can reach this service\"");
    }

    @RequestFilter
    public void anonymous(HttpRequest<?> request) {
        request.setAttribute(HttpAttributes.PRINCIPAL, ANONYMOUS);
    }
}
