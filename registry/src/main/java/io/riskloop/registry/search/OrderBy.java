package io.riskloop.registry.search;

import io.riskloop.registry.RegistryException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One MLflow order_by item, e.g. {@code metrics.auc_roc DESC} or {@code name}: a filter identifier and a direction.
 */
public record OrderBy(String entity, String key, boolean ascending) {

    public static List<OrderBy> parse(List<String> items) {
        List<OrderBy> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        for (String item : items) {
            if (item == null || item.isBlank()) {
                continue;
            }
            String s = item.strip();
            boolean asc = true;
            String upper = s.toUpperCase(Locale.ROOT);
            if (upper.endsWith(" DESC")) {
                asc = false;
                s = s.substring(0, s.length() - 5).strip();
            } else if (upper.endsWith(" ASC")) {
                s = s.substring(0, s.length() - 4).strip();
            }
            // reuse the filter's identifier rules by parsing "<identifier> = 0"
            Clause c;
            try {
                c = Filter.parse(s + " = 0").getFirst();
            } catch (RegistryException e) {
                throw RegistryException.invalid("order_by", "cannot order by '" + item + "': expected a name, then"
                        + " ASC or DESC");
            }
            out.add(new OrderBy(c.entity(), c.key(), asc));
        }
        return out;
    }

    public String direction() {
        return ascending ? "asc" : "desc";
    }
}
