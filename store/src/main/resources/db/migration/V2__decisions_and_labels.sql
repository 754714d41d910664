-- Every decided transaction, with what the model saw and said, and, once known, its true label.
-- Partitioned by day of event time; partitions are created by the writer as days arrive (see DecisionStore).
-- The key includes the partition column, as PostgreSQL requires; a re-delivered decision has the same
-- (transaction_id, event_time) and is ignored, so writes are idempotent.
create table decisions (
    transaction_id     text             not null,
    event_time         timestamptz      not null,
    card_id            text             not null,
    terminal_id        text             not null,
    amount             numeric(16, 2)   not null check (amount >= 0),
    attributes         jsonb            not null default '{}',
    features           jsonb            not null, -- [[name, value], ...] in the model's input order
    score              double precision not null check (score >= 0 and score <= 1),
    decision           text             not null check (decision in ('APPROVE', 'REVIEW', 'DECLINE')),
    reasons            jsonb            not null,
    model_version      text             not null,
    challenger_score   double precision,
    challenger_version text,
    decided_at         timestamptz      not null,
    stored_at          timestamptz      not null default now(),
    true_label         boolean,
    label_source       text,
    label_author       text,
    labeled_at         timestamptz,
    primary key (transaction_id, event_time)
) partition by range (event_time);

create index decisions_review_queue on decisions (decision, score desc) where true_label is null;
create index decisions_card_time on decisions (card_id, event_time desc);
create index decisions_decided_at on decisions (decided_at);

-- Every label ever given, oldest first; decisions.true_label is the latest. Nothing is overwritten silently.
create table labels (
    id             bigint generated always as identity primary key,
    transaction_id text        not null,
    event_time     timestamptz not null,
    fraud          boolean     not null,
    source         text        not null check (source in ('analyst', 'chargeback', 'api', 'import')),
    author         text        not null,
    comment        text,
    known_at       timestamptz not null,
    created_at     timestamptz not null default now(),
    -- when the label reached the labels topic (for label-aware features); null until then, retried until set
    published_at   timestamptz
);
create index labels_transaction on labels (transaction_id, id);
create index labels_unpublished on labels (id) where published_at is null;
create index labels_known_at on labels (known_at);

-- Records the pipeline could not process, with the reason; one row per source record.
create table dead_letters (
    id           bigint generated always as identity primary key,
    source_topic text        not null,
    partition    int         not null,
    record_offset bigint     not null,
    field        text        not null,
    reason       text        not null,
    record       text        not null,
    received_at  timestamptz not null,
    stored_at    timestamptz not null default now(),
    constraint dead_letters_source_key unique (source_topic, partition, record_offset)
);
create index dead_letters_received on dead_letters (received_at desc);
