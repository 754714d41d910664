package io.riskloop.registry.search;

import io.riskloop.registry.RegistryException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Page tokens: the offset of the next page, opaque to clients. */
public final class PageToken {

    private PageToken() {
    }

    public static int offset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!s.startsWith("offset:")) {
                throw new IllegalArgumentException(s);
            }
            int offset = Integer.parseInt(s.substring(7));
            if (offset < 0) {
                throw new IllegalArgumentException(s);
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalid("page_token", "page_token is not a token this server issued");
        }
    }

    public static String of(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** The page size to use: {@code requested} if positive (at most {@code max}), else {@code dflt}. */
    public static int size(Integer requested, int dflt, int max) {
        if (requested == null || requested == 0) {
            return dflt;
        }
        if (requested < 0 || requested > max) {
            throw RegistryException.invalid("max_results", "max_results must be between 1 and " + max + ", was "
                    + requested);
        }
        return requested;
    }
}
