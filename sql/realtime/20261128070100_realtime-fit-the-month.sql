/*
 * realtime-fit-the-month: the realtime settings that bring the reference month under $200
 * (docs/capacity.md, "Making it fit", each change with its measured effect).
 *
 *   realtime_immediate_max_listeners 50 -> 20   rooms up to 20 present listeners (over eight in ten
 *       sessions, a fifth of listening) get every event at once, never paced; bigger rooms get ticks
 *   realtime_monthly_messages 40 M -> 27 M      what pacing spends a cycle: $55 over Pro's 5 M
 *   realtime_chat_per_tick 25 -> 10             a tick to a crowd carries at most 10 chat lines
 *       (sampled, priority first): a tick is delivered to every subscriber, so its size is egress
 */

update private.settings set value = '20'
where key = 'realtime_immediate_max_listeners';
update private.settings set value = '27000000'
where key = 'realtime_monthly_messages';
update private.settings set value = '10'
where key = 'realtime_chat_per_tick';
