package io.riskloop.store.access;

import io.riskloop.store.Sql;
import io.riskloop.store.StoreException;
import io.riskloop.store.audit.AuditEntry;
import io.riskloop.store.audit.AuditLog;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysAndAuditTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void keysAreFoundByHashWhileLiveAndNamesAreUniqueAmongLiveKeys() {
        ApiKeyStore keys = new ApiKeyStore(POSTGRES.database());
        String hash = "a".repeat(64);
        ApiKey k = keys.insert("ann", "analyst", hash, "rl_ab", "root", T);
        assertThat(keys.findLiveByHash(hash)).contains(k);
        assertThatThrownBy(() -> keys.insert("ann", "admin", "b".repeat(64), "rl_cd", "root", T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ann'");
        assertThat(keys.countLive("analyst")).isEqualTo(1);
        assertThat(keys.revoke("ann", "root", T.plusSeconds(1))).contains(k);
        assertThat(keys.findLiveByHash(hash)).isEmpty();
        assertThat(keys.revoke("ann", "root", T.plusSeconds(2))).isEmpty();
        // the name is free again; the revoked key stays listed
        keys.insert("ann", "admin", "b".repeat(64), "rl_cd", "root", T.plusSeconds(3));
        assertThat(keys.list(true)).extracting(ApiKey::role, ApiKey::live)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("admin", true),
                        org.assertj.core.groups.Tuple.tuple("analyst", false));
        assertThat(keys.list(false)).hasSize(1);
        assertThatThrownBy(() -> keys.insert("bob", "root", "c".repeat(64), "rl_ef", "root", T))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void theAuditLogOnlyGrows() {
        AuditLog log = new AuditLog(POSTGRES.database(), Clock.fixed(T, ZoneOffset.UTC));
        AuditEntry e = log.append("ann", "label.set", "transaction:t1", null, "{\"fraud\": true}", "looks stolen");
        log.append("bob", "key.create", "key:carol", null, "{\"role\": \"analyst\"}", null);
        assertThat(log.recent(null, null, null, 10)).extracting(AuditEntry::actor).containsExactly("bob", "ann");
        assertThat(log.recent("transaction:", null, null, 10)).containsExactly(e);
        assertThat(log.recent(null, "bob", null, 10)).hasSize(1);
        assertThat(log.recent(null, null, e.id() + 1, 10)).containsExactly(e);
        assertThat(log.about("transaction:t1")).singleElement().satisfies(x -> {
            assertThat(x.after()).contains("\"fraud\": true");
            assertThat(x.at()).isEqualTo(T);
        });
        for (String change : new String[] {"update audit_log set actor = 'mallory'", "delete from audit_log",
                "truncate audit_log"}) {
            assertThatThrownBy(() -> POSTGRES.database().withConnection(c -> Sql.update(c, change)))
                    .as(change).isInstanceOf(StoreException.class).hasMessageContaining("append-only");
        }
        assertThat(log.recent(null, null, null, 10)).hasSize(2).extracting(AuditEntry::actor).doesNotContain("mallory");
    }
}
