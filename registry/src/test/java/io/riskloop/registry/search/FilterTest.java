package io.riskloop.registry.search;

import io.riskloop.registry.RegistryException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterTest {

    @Test
    void parsesMlflowComparisonsJoinedByAnd() {
        List<Clause> cs = Filter.parse("metrics.auc_roc >= 0.8 and params.algorithm = 'xgboost' AND "
                + "tags.`mlflow.user` LIKE \"ann%\" and attributes.status IN ('FINISHED', 'FAILED') and name != 'x'"
                + " and tags.mlflow.runName = 'r1' and run_id NOT IN ('a')");
        assertThat(cs).containsExactly(
                new Clause("metrics", "auc_roc", ">=", 0.8),
                new Clause("params", "algorithm", "=", "xgboost"),
                new Clause("tags", "mlflow.user", "LIKE", "ann%"),
                new Clause("attributes", "status", "IN", List.of("FINISHED", "FAILED")),
                new Clause("attributes", "name", "!=", "x"),
                new Clause("tags", "mlflow.runName", "=", "r1"),
                new Clause("attributes", "run_id", "NOT IN", List.of("a")));
        assertThat(Filter.parse("  ")).isEmpty();
        assertThat(Filter.parse(null)).isEmpty();
        assertThat(Filter.parse("metric.x < -1e-3").getFirst().value()).isEqualTo(-1e-3);
    }

    @Test
    void malformedFiltersNameWhereAndWhat() {
        assertThatThrownBy(() -> Filter.parse("metrics.a > 1 or metrics.b > 2"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
                    assertThat(e.errors().getFirst().field()).isEqualTo("filter");
                    assertThat(e.getMessage()).contains("OR is not supported");
                });
        assertThatThrownBy(() -> Filter.parse("params.a = 'unclosed")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> Filter.parse("params.a ~ 'x'")).hasMessageContaining("expected a comparison");
        assertThatThrownBy(() -> Filter.parse("params.a = x")).hasMessageContaining("quoted string or a number");
        assertThatThrownBy(() -> Filter.parse("name IN 'a'")).hasMessageContaining("expected '('");
    }

    @Test
    void valuesAreArgumentsNeverSql() {
        SqlWhere w = new SqlWhere().string("r.name", Filter.parse("run_name = \"x'; drop table runs; --\"").getFirst());
        assertThat(w.sql()).isEqualTo("r.name = ?");
        assertThatThrownBy(() -> new SqlWhere().number("v", Filter.parse("metrics.a LIKE 'x'").getFirst()))
                .hasMessageContaining("compares as a number");
        assertThatThrownBy(() -> new SqlWhere().string("v", Filter.parse("params.a > 3").getFirst()))
                .hasMessageContaining("compares as a string");
    }

    @Test
    void orderByAndPageTokens() {
        assertThat(OrderBy.parse(List.of("metrics.auc DESC", "name", "attributes.start_time asc")))
                .containsExactly(new OrderBy("metrics", "auc", false), new OrderBy("attributes", "name", true),
                        new OrderBy("attributes", "start_time", true));
        assertThat(PageToken.offset(PageToken.of(200))).isEqualTo(200);
        assertThatThrownBy(() -> PageToken.offset("garbage!")).hasMessageContaining("page_token");
        assertThatThrownBy(() -> PageToken.size(-1, 10, 100)).hasMessageContaining("max_results");
        assertThat(PageToken.size(null, 10, 100)).isEqualTo(10);
    }
}
