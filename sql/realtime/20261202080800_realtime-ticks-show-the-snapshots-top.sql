/*
 * realtime-ticks-show-the-snapshots-top: a crowd sees live tallies for every item on its screen.
 *
 * A joining app shows the top 50 of the queue (session_snapshot, queue_top), but a crowd's tick
 * carried the order and tallies of the top 10 only (realtime_tick_top_items): a vote on item 11 to
 * 50 reached nobody until the item itself changed (measured in `make bench --suite liveness`: in a
 * room of 1,000, p95 58.6 s for a vote tally). Ticks now carry the same top 50 the snapshot shows;
 * a tick stays bounded (at most twice that many changed items, and realtime_tick_max_bytes).
 */

update private.settings
set value = '50', description = 'Queue items whose order and tallies a tick carries (the snapshot''s top 50).'
where key = 'realtime_tick_top_items';
