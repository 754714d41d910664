package io.riskloop.core.features;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventWindowTest {

    // ---- examples ----------------------------------------------------------------------------------------------

    @Test
    void aLateEventIsInsertedAfterEventsWithTheSameTime() {
        EventWindow w = new EventWindow();
        w.add(10, 1, 101);
        w.add(20, 2, 102);
        w.add(30, 4, 103);
        w.add(20, 8, 104); // late, same time as the second

        int base = w.lowerBound(Long.MIN_VALUE);
        assertThat(w.size()).isEqualTo(4);
        // order by time: 10 (1), 20 (2), 20 (8), 30 (4)
        assertThat(w.sumCents(base + 2, base + 3)).isEqualTo(8);
        assertThat(w.lowerBound(20) - base).isEqualTo(1);
        assertThat(w.upperBound(20) - base).isEqualTo(3);
        assertThat(w.sumCents(w.lowerBound(20), w.upperBound(20))).isEqualTo(10);
    }

    @Test
    void evictBeforeDropsOnlyStrictlyOlderEvents() {
        EventWindow w = new EventWindow();
        w.add(10, 1, 1);
        w.add(20, 2, 2);
        w.add(20, 4, 3);
        w.add(30, 8, 4);

        w.evictBefore(20);

        assertThat(w.size()).isEqualTo(3);
        assertThat(w.sumCents(w.lowerBound(Long.MIN_VALUE), w.upperBound(Long.MAX_VALUE))).isEqualTo(14);

        w.evictBefore(31);
        assertThat(w.isEmpty()).isTrue();
        assertThat(w.size()).isZero();
    }

    @Test
    void labelFindsTheEventByTimeAndIdAndReportsWhetherItWasThere() {
        EventWindow w = new EventWindow();
        w.add(10, 100, 7);
        w.add(10, 200, 8);
        w.add(11, 300, 9);

        assertThat(w.label(10, 8, true)).isTrue();
        assertThat(w.frauds(w.lowerBound(10), w.upperBound(10))).isEqualTo(1);
        assertThat(w.frauds(w.lowerBound(10), w.lowerBound(10) + 1)).isZero();
        assertThat(w.label(11, 8, true)).as("right id, wrong time").isFalse();
        assertThat(w.label(10, 9, true)).as("right time, wrong id").isFalse();

        assertThat(w.label(10, 8, false)).isTrue();
        assertThat(w.frauds(w.lowerBound(Long.MIN_VALUE), w.upperBound(Long.MAX_VALUE))).isZero();

        w.evictBefore(11);
        assertThat(w.label(10, 7, true)).as("evicted").isFalse();
    }

    @Test
    void labelsMoveWithTheirEventsWhenALateEventIsInsertedBeforeThem() {
        EventWindow w = new EventWindow();
        w.add(10, 1, 1);
        w.add(20, 2, 2);
        w.label(20, 2, true);
        w.add(15, 4, 3);

        int base = w.lowerBound(Long.MIN_VALUE);
        assertThat(w.frauds(base + 2, base + 3)).isEqualTo(1);
        assertThat(w.frauds(base, base + 2)).isZero();
    }

    @Test
    void hashIdIsFnv1a64() {
        // published FNV-1a 64-bit test vectors
        assertThat(EventWindow.hashId("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(EventWindow.hashId("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(EventWindow.hashId("foobar")).isEqualTo(0x85944171f73967e8L);
    }

    // ---- fuzz against a naive reference -------------------------------------------------------------------------

    sealed interface Op permits Add, Evict, Label, Query {
    }

    /** An event {@code delta} ms after the latest time so far, or, when late, that much before it. */
    record Add(boolean late, int delta, long cents) implements Op {
    }

    /** Evict everything older than the latest time minus {@code back}. */
    record Evict(int back) implements Op {
    }

    /** Label the {@code pick}-th event ever added (it may have been evicted since). */
    record Label(int pick, boolean fraud) implements Op {
    }

    /** Query times [latest - back, latest - back + width]. */
    record Query(int back, int width) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> add = Combinators.combine(
                        Arbitraries.frequency(Tuple.of(5, false), Tuple.of(1, true)),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.longs().between(0, 100_000))
                .as((late, delta, cents) -> new Add(late, late ? delta * 5 : delta, cents));
        Arbitrary<Op> evict = Arbitraries.integers().between(0, 150).map(Evict::new);
        Arbitrary<Op> label = Combinators.combine(Arbitraries.integers().between(0, 1000), Arbitraries.of(true, false))
                .as(Label::new);
        Arbitrary<Op> query = Combinators.combine(Arbitraries.integers().between(-5, 200),
                Arbitraries.integers().between(0, 60)).as(Query::new);
        return Arbitraries.frequencyOf(Tuple.of(12, add), Tuple.of(1, evict), Tuple.of(3, label), Tuple.of(3, query))
                .list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 500)
    void behavesLikeASortedListOfEvents(@ForAll("operations") List<Op> ops) {
        EventWindow window = new EventWindow();
        NaiveWindow reference = new NaiveWindow();
        List<long[]> added = new ArrayList<>(); // {time, idHash} of every event ever added
        long latest = 1_000_000;

        for (Op op : ops) {
            switch (op) {
                case Add a -> {
                    long t = a.late() ? latest - a.delta() : latest + a.delta();
                    latest = Math.max(latest, t);
                    long hash = EventWindow.hashId("tx-" + added.size());
                    added.add(new long[] {t, hash});
                    window.add(t, a.cents(), hash);
                    reference.add(t, a.cents(), hash);
                }
                case Evict e -> {
                    window.evictBefore(latest - e.back());
                    reference.evictBefore(latest - e.back());
                }
                case Label l -> {
                    if (added.isEmpty()) {
                        continue;
                    }
                    long[] event = added.get(l.pick() % added.size());
                    assertThat(window.label(event[0], event[1], l.fraud()))
                            .as("label(%d, %d, %s)", event[0], event[1], l.fraud())
                            .isEqualTo(reference.label(event[0], event[1], l.fraud()));
                }
                case Query q -> {
                    long from = latest - q.back();
                    long to = from + q.width();
                    int base = window.lowerBound(Long.MIN_VALUE);
                    int lo = window.lowerBound(from);
                    int hi = window.upperBound(to);
                    assertThat(lo - base).as("lowerBound(%d)", from).isEqualTo(reference.lowerBound(from));
                    assertThat(hi - base).as("upperBound(%d)", to).isEqualTo(reference.upperBound(to));
                    assertThat(window.sumCents(lo, hi)).as("sumCents over [%d, %d]", from, to)
                            .isEqualTo(reference.sumCents(from, to));
                    assertThat(window.frauds(lo, hi)).as("frauds over [%d, %d]", from, to)
                            .isEqualTo(reference.frauds(from, to));
                }
            }
            assertSameContents(window, reference);
        }
    }

    /** Every event, one index at a time: same order, time, amount and label as the reference. */
    private static void assertSameContents(EventWindow window, NaiveWindow reference) {
        assertThat(window.size()).isEqualTo(reference.events.size());
        assertThat(window.isEmpty()).isEqualTo(reference.events.isEmpty());
        int base = window.lowerBound(Long.MIN_VALUE);
        assertThat(window.upperBound(Long.MAX_VALUE) - base).isEqualTo(reference.events.size());
        for (int i = 0; i < reference.events.size(); i++) {
            Event e = reference.events.get(i);
            int at = base + i;
            assertThat(window.sumCents(at, at + 1)).as("cents of event %d", i).isEqualTo(e.cents);
            assertThat(window.frauds(at, at + 1)).as("label of event %d", i).isEqualTo(e.fraud ? 1 : 0);
            assertThat(window.lowerBound(e.time)).as("time of event %d", i).isLessThanOrEqualTo(at);
            assertThat(window.upperBound(e.time)).as("time of event %d", i).isGreaterThan(at);
        }
    }

    private static final class Event {
        final long time;
        final long cents;
        final long hash;
        boolean fraud;

        Event(long time, long cents, long hash) {
            this.time = time;
            this.cents = cents;
            this.hash = hash;
        }
    }

    /** The obvious implementation: a list kept in time order, ties in arrival order, scanned linearly. */
    private static final class NaiveWindow {
        final List<Event> events = new ArrayList<>();

        void add(long time, long cents, long hash) {
            int at = 0;
            while (at < events.size() && events.get(at).time <= time) {
                at++;
            }
            events.add(at, new Event(time, cents, hash));
        }

        void evictBefore(long cutoff) {
            events.removeIf(e -> e.time < cutoff);
        }

        boolean label(long time, long hash, boolean fraud) {
            for (Event e : events) {
                if (e.time == time && e.hash == hash) {
                    e.fraud = fraud;
                    return true;
                }
            }
            return false;
        }

        int lowerBound(long t) {
            return (int) events.stream().filter(e -> e.time < t).count();
        }

        int upperBound(long t) {
            return (int) events.stream().filter(e -> e.time <= t).count();
        }

        long sumCents(long from, long to) {
            return events.stream().filter(e -> e.time >= from && e.time <= to).mapToLong(e -> e.cents).sum();
        }

        int frauds(long from, long to) {
            return (int) events.stream().filter(e -> e.time >= from && e.time <= to && e.fraud).count();
        }
    }
}
