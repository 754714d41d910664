package io.riskloop.registry.snapshot;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The canonical hash identifies content: file order does not matter, every field does. */
class CanonicalFormTest {

    @Provide
    Arbitrary<LabeledTransaction> transaction() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').withChars('\t', '\\', '=').ofMinLength(1)
                .ofMaxLength(6);
        Arbitrary<Instant> times = Arbitraries.longs().between(1_500_000_000L, 1_500_000_100L).map(Instant::ofEpochSecond);
        Arbitrary<Long> cents = Arbitraries.longs().between(0, 100_000);
        Arbitrary<Map<String, String>> attrs = Arbitraries.maps(Arbitraries.of("mcc", "city", "v1"),
                Arbitraries.strings().alpha().ofMaxLength(3)).ofMaxSize(2);
        return Combinators.combine(ids, times, ids, ids, cents, Arbitraries.of(true, false), attrs)
                .as((id, t, card, term, c, fraud, a) -> new LabeledTransaction(
                        new Transaction(id, t, card, term, c / 100.0, a), fraud, fraud ? 1 : 0));
    }

    @Property(tries = 200)
    void theHashDoesNotDependOnRowOrder(@ForAll @Size(max = 30) List<@net.jqwik.api.From("transaction") LabeledTransaction> rows,
                                        @ForAll long seed) {
        List<LabeledTransaction> unique = uniqueIds(rows);
        List<LabeledTransaction> shuffled = new ArrayList<>(unique);
        Collections.shuffle(shuffled, new Random(seed));
        CanonicalForm.Summary a = CanonicalForm.of(unique);
        CanonicalForm.Summary b = CanonicalForm.of(shuffled);
        assertThat(b).isEqualTo(a);
        assertThat(a.rows()).isEqualTo(unique.size());
        assertThat(a.frauds()).isEqualTo(unique.stream().filter(LabeledTransaction::fraud).count());
    }

    @Property(tries = 200)
    void changingAnyFieldOfAnyRowChangesTheHash(@ForAll @Size(min = 1, max = 20) List<@net.jqwik.api.From("transaction") LabeledTransaction> rows,
                                                @ForAll int which, @ForAll("field") int field) {
        List<LabeledTransaction> unique = uniqueIds(rows);
        int i = Math.floorMod(which, unique.size());
        LabeledTransaction r = unique.get(i);
        Transaction t = r.transaction();
        LabeledTransaction changed = switch (field) {
            case 0 -> new LabeledTransaction(new Transaction(t.id() + "x", t.timestamp(), t.cardId(), t.terminalId(),
                    t.amount(), t.attributes()), r.fraud(), r.scenario());
            case 1 -> new LabeledTransaction(new Transaction(t.id(), t.timestamp().plusSeconds(1), t.cardId(),
                    t.terminalId(), t.amount(), t.attributes()), r.fraud(), r.scenario());
            case 2 -> new LabeledTransaction(new Transaction(t.id(), t.timestamp(), t.cardId() + "\t", t.terminalId(),
                    t.amount(), t.attributes()), r.fraud(), r.scenario());
            case 3 -> new LabeledTransaction(new Transaction(t.id(), t.timestamp(), t.cardId(), t.terminalId(),
                    t.amount() + 0.01, t.attributes()), r.fraud(), r.scenario());
            case 4 -> new LabeledTransaction(t, !r.fraud(), r.scenario());
            default -> new LabeledTransaction(new Transaction(t.id(), t.timestamp(), t.cardId(), t.terminalId(),
                    t.amount(), Map.of("extra", "1")), r.fraud(), r.scenario());
        };
        if (field == 5 && t.attributes().equals(Map.of("extra", "1"))) {
            return;
        }
        List<LabeledTransaction> other = new ArrayList<>(unique);
        other.set(i, changed);
        assertThat(CanonicalForm.of(other).sha256()).isNotEqualTo(CanonicalForm.of(unique).sha256());
    }

    @Provide
    Arbitrary<Integer> field() {
        return Arbitraries.integers().between(0, 5);
    }

    private static List<LabeledTransaction> uniqueIds(List<LabeledTransaction> rows) {
        // a data set's ids are unique (the reader refuses duplicates): make them so
        List<LabeledTransaction> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Transaction t = rows.get(i).transaction();
            out.add(new LabeledTransaction(new Transaction(i + "-" + t.id(), t.timestamp(), t.cardId(), t.terminalId(),
                    t.amount(), t.attributes()), rows.get(i).fraud(), rows.get(i).scenario()));
        }
        return out;
    }
}
