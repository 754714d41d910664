-- What arrived in the store since a moment: the monitoring loop's dead-letter rule counts both every round.
create index decisions_stored_at on decisions (stored_at);
create index dead_letters_stored_at on dead_letters (stored_at);
