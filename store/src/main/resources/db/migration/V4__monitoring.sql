-- What the monitoring loop saw and did: one row per event (drift detected, retraining triggered, challenger
-- registered, shadow progress, promoted, rolled back, alert sent ...), in the order they happened.
create table loop_events (
    id         bigint generated always as identity primary key,
    at         timestamptz not null,
    kind       text        not null,
    model_name text        not null,
    version    text,
    summary    text        not null,
    details    jsonb       not null default '{}',
    created_at timestamptz not null default now()
);
create index loop_events_at on loop_events (at desc);

-- Accuracy of a model version over a label-complete window of live traffic.
create table accuracy_windows (
    id                   bigint generated always as identity primary key,
    model_version        text             not null,
    alias                text             not null, -- decided or shadow: the role the version had on that traffic
    window_start         timestamptz      not null,
    window_end           timestamptz      not null,
    labels_known_at      timestamptz      not null,
    rows                 bigint           not null,
    frauds               bigint           not null,
    average_precision    double precision,
    card_precision_at_100 double precision,
    precision_at_review  double precision,
    recall_at_review     double precision,
    created_at           timestamptz      not null default now()
);
create index accuracy_windows_version on accuracy_windows (model_version, window_end);

-- Drift of live traffic against a model version's reference profile; the report itself as JSON.
create table drift_reports (
    id            bigint generated always as identity primary key,
    model_version text        not null,
    window_start  timestamptz not null,
    window_end    timestamptz not null,
    dataset_drift boolean     not null,
    drift_share   double precision not null,
    report        jsonb       not null,
    created_at    timestamptz not null default now()
);
create index drift_reports_window on drift_reports (window_end desc);
