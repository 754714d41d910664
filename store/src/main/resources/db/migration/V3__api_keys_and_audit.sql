-- API keys and the audit log.

-- An API key is shown once, when made; only its SHA-256 is kept. A key is high-entropy random data, so a plain
-- hash (no salt, no slow KDF) is enough: nobody can guess one from its hash. Revoked keys stay, for the record.
create table api_keys (
    id         bigint generated always as identity primary key,
    name       text        not null check (char_length(name) between 1 and 100),
    role       text        not null check (role in ('analyst', 'admin', 'service')),
    key_hash   text        not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
    key_prefix text        not null, -- the key's first characters, to tell keys apart in listings
    created_at timestamptz not null,
    created_by text        not null,
    revoked_at timestamptz,
    revoked_by text
);
-- one live key per name, so that the audit log's "who" is unambiguous
create unique index api_keys_live_name on api_keys (name) where revoked_at is null;

-- Every change people (or their programs) make: who, what, when, the state before and after. Rows are only ever
-- added: the trigger below refuses update, delete and truncate, even to the table's owner.
create table audit_log (
    id      bigint generated always as identity primary key,
    at      timestamptz not null,
    actor   text        not null,
    action  text        not null,
    subject text        not null,
    before  jsonb,
    after   jsonb,
    detail  text
);
create index audit_log_at on audit_log (at desc, id desc);
create index audit_log_subject on audit_log (subject, id desc);

create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_refuse_change();
