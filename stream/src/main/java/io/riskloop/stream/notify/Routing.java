package io.riskloop.stream.notify;

import io.riskloop.core.domain.DecisionType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which notifiers hear of which decisions, by notifier name: for example the webhook for reviews and declines,
 * e-mail for declines only ({@code Routing.none().review("webhook").decline("webhook", "email")}).
 *
 * @param routes the notifier names for REVIEW and for DECLINE; a type without an entry alerts nobody
 */
public record Routing(Map<DecisionType, List<String>> routes) {

    public Routing {
        Map<DecisionType, List<String>> copy = new EnumMap<>(DecisionType.class);
        routes.forEach((type, names) -> {
            if (type == DecisionType.APPROVE) {
                throw new IllegalArgumentException("APPROVE decisions raise no alert; route REVIEW and DECLINE only");
            }
            Set<String> unique = new LinkedHashSet<>();
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("the routing of " + type + " names a blank notifier");
                }
                if (!unique.add(name)) {
                    throw new IllegalArgumentException("the routing of " + type + " names notifier '" + name
                            + "' twice");
                }
            }
            copy.put(type, List.copyOf(unique));
        });
        routes = Map.copyOf(copy);
    }

    /** Nobody hears of anything; add routes with {@link #review} and {@link #decline}. */
    public static Routing none() {
        return new Routing(Map.of());
    }

    /** The same routing, with REVIEW decisions going to {@code notifiers}. */
    public Routing review(String... notifiers) {
        return with(DecisionType.REVIEW, notifiers);
    }

    /** The same routing, with DECLINE decisions going to {@code notifiers}. */
    public Routing decline(String... notifiers) {
        return with(DecisionType.DECLINE, notifiers);
    }

    public List<String> notifiersFor(DecisionType type) {
        return routes.getOrDefault(type, List.of());
    }

    /** Every notifier some decision type goes to. */
    public Set<String> notifiers() {
        Set<String> all = new LinkedHashSet<>();
        for (DecisionType t : DecisionType.values()) {
            all.addAll(notifiersFor(t));
        }
        return all;
    }

    private Routing with(DecisionType type, String... notifiers) {
        Map<DecisionType, List<String>> m = new EnumMap<>(DecisionType.class);
        m.putAll(routes);
        m.put(type, new ArrayList<>(Arrays.asList(notifiers)));
        return new Routing(m);
    }
}
