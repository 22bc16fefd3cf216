"""Push notifications through Expo: settings, the Expo client, the sender and its jobs.

The database decides what to push (sql/push: devices, preferences, quiet hours, the outbox);
this package only drains the outbox within Expo's limits and records what Expo answered.
"""
